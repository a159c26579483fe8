-- Payments to suppliers (issue 26): one payment from a bank account settles one or several of a
-- supplier's posted invoices, in part or in full; an invoice is never paid beyond what is due.
create table payments (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  number text not null,
  supplier_id uuid not null,
  payment_date date not null,
  -- an account of the chart whose control role is bank
  bank_account_id uuid not null,
  amount numeric(20,4) not null check (amount > 0),
  currency char(3) not null,
  reference text check (reference is null or length(reference) <= 100),
  entry_id uuid,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, supplier_id) references suppliers(tenant_id, id),
  foreign key (tenant_id, bank_account_id) references accounts(tenant_id, id),
  foreign key (tenant_id, entry_id) references journal_entries(tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id)
);
create index payments_supplier on payments (tenant_id, supplier_id, payment_date);
create index payments_date on payments (tenant_id, payment_date);

create table payment_allocations (
  tenant_id uuid not null references tenants(id),
  payment_id uuid not null,
  invoice_id uuid not null,
  amount numeric(20,4) not null check (amount > 0),
  primary key (tenant_id, payment_id, invoice_id),
  foreign key (tenant_id, payment_id) references payments(tenant_id, id),
  foreign key (tenant_id, invoice_id) references supplier_invoices(tenant_id, id)
);
create index payment_allocations_invoice on payment_allocations (tenant_id, invoice_id);

alter table payments enable row level security;
alter table payments force row level security;
create policy tenant_isolation on payments using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
alter table payment_allocations enable row level security;
alter table payment_allocations force row level security;
create policy tenant_isolation on payment_allocations using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
-- payments are records: written once
grant select, insert on payments, payment_allocations to millwright_app;
