-- Payment runs (issue 26): every due, unheld invoice up to a day (of some suppliers, or all),
-- proposed for review, then approved and paid in one go — one payment per supplier, a bank file
-- and a payment advice to each supplier.
create table payment_runs (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  number text not null,
  due_by date not null,
  payment_date date not null,
  bank_account_id uuid not null,
  supplier_ids uuid[],
  status text not null default 'proposed' check (status in ('proposed', 'approved')),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  approved_by uuid,
  approved_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, number),
  check ((status = 'approved') = (approved_at is not null)),
  foreign key (tenant_id, bank_account_id) references accounts(tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id),
  foreign key (tenant_id, approved_by) references users(tenant_id, id)
);

-- what the run proposes to pay of each invoice
create table payment_run_lines (
  tenant_id uuid not null references tenants(id),
  run_id uuid not null,
  invoice_id uuid not null,
  supplier_id uuid not null,
  amount numeric(20,4) not null check (amount > 0),
  primary key (tenant_id, run_id, invoice_id),
  foreign key (tenant_id, run_id) references payment_runs(tenant_id, id),
  foreign key (tenant_id, invoice_id) references supplier_invoices(tenant_id, id)
);

alter table payments add column run_id uuid;
alter table payments add foreign key (tenant_id, run_id) references payment_runs(tenant_id, id);
create index payments_run on payments (tenant_id, run_id) where run_id is not null;

alter table payment_runs enable row level security;
alter table payment_runs force row level security;
create policy tenant_isolation on payment_runs using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
alter table payment_run_lines enable row level security;
alter table payment_run_lines force row level security;
create policy tenant_isolation on payment_run_lines using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on payment_runs to millwright_app;
grant select, insert on payment_run_lines to millwright_app;
