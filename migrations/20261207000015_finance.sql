-- Supplier invoices (issue 26): entered against purchase-order lines, matched line by line with
-- what was ordered, received and invoiced before (the match is kept on each line), posted to the
-- ledger when matched or when the exception is approved. One number per supplier (409 twice).
-- The approval engine routes them as `invoice` (its rules table already allows the kind).
create table supplier_invoices (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  number text not null,
  supplier_id uuid not null,
  -- the supplier's own number and date
  supplier_number text not null check (length(btrim(supplier_number)) between 1 and 50),
  invoice_date date not null,
  due_date date not null,
  -- the receiving plant and the state its goods were supplied to (GST's place of supply)
  plant_id uuid,
  place_of_supply text check (place_of_supply ~ '^[0-9]{2}$'),
  currency char(3) not null,
  status text not null default 'draft' check (status in ('draft', 'pending_approval', 'awaiting_goods',
    'posted', 'on_hold', 'partially_paid', 'paid', 'cancelled')),
  match_status text not null default 'matched' check (match_status in ('matched', 'exception')),
  subtotal numeric(20,4) not null default 0,
  cgst numeric(20,4) not null default 0,
  sgst numeric(20,4) not null default 0,
  igst numeric(20,4) not null default 0,
  -- the one tax head of a company outside India
  tax numeric(20,4) not null default 0,
  tds numeric(20,4) not null default 0,
  total numeric(20,4) not null default 0,
  amount_paid numeric(20,4) not null default 0 check (amount_paid >= 0),
  notes text check (notes is null or length(notes) <= 2000),
  -- the supplier's PDF (the shared file store)
  file_id uuid,
  entry_id uuid,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  check (amount_paid <= total),
  foreign key (tenant_id, supplier_id) references suppliers(tenant_id, id),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id),
  foreign key (tenant_id, entry_id) references journal_entries(tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id)
);
-- the same supplier's number once, whatever its case (a cancelled invoice frees it)
create unique index supplier_invoices_supplier_number on supplier_invoices
  (tenant_id, supplier_id, lower(btrim(supplier_number))) where status <> 'cancelled';
create index supplier_invoices_status on supplier_invoices (tenant_id, status, due_date);
create index supplier_invoices_supplier on supplier_invoices (tenant_id, supplier_id, invoice_date);
create trigger supplier_invoices_touch before update on supplier_invoices for each row execute function touch_updated_at();

create table supplier_invoice_lines (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  invoice_id uuid not null,
  line_no smallint not null check (line_no >= 1),
  purchase_order_line_id uuid not null,
  goods_receipt_line_id uuid,
  item_id uuid,
  description text not null,
  hsn_sac text,
  quantity numeric(18,4) not null check (quantity > 0),
  unit_price numeric(18,4) not null check (unit_price >= 0),
  -- a percent (18 for 18 %)
  tax_rate numeric(7,4) not null default 0 check (tax_rate >= 0 and tax_rate <= 100),
  amount numeric(20,4) not null,
  cgst numeric(20,4) not null default 0,
  sgst numeric(20,4) not null default 0,
  igst numeric(20,4) not null default 0,
  tax numeric(20,4) not null default 0,
  -- the match when the line was last matched: ordered, received, invoiced before this invoice,
  -- the order's price, and how far this line goes beyond (quantity) or above (amount) them
  ordered numeric(18,4) not null,
  received numeric(18,4) not null,
  invoiced_before numeric(18,4) not null,
  order_price numeric(18,4) not null,
  quantity_variance numeric(18,4) not null default 0,
  price_variance numeric(20,4) not null default 0,
  match_status text not null check (match_status in ('matched', 'price_exception', 'quantity_exception', 'awaiting_goods')),
  primary key (tenant_id, id),
  unique (tenant_id, invoice_id, line_no),
  foreign key (tenant_id, invoice_id) references supplier_invoices(tenant_id, id),
  foreign key (tenant_id, purchase_order_line_id) references purchase_order_lines(tenant_id, id)
);
create index supplier_invoice_lines_order_line on supplier_invoice_lines (tenant_id, purchase_order_line_id);

alter table supplier_invoices enable row level security;
alter table supplier_invoices force row level security;
create policy tenant_isolation on supplier_invoices using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
alter table supplier_invoice_lines enable row level security;
alter table supplier_invoice_lines force row level security;
create policy tenant_isolation on supplier_invoice_lines using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on supplier_invoices to millwright_app;
grant select, insert, update, delete on supplier_invoice_lines to millwright_app;

-- existing companies route invoice exceptions as a new one does (finance's registration): the
-- procurement manager decides (the accountant who entered the invoice cannot approve it)
insert into approval_rules (tenant_id, doc_type, stage, name, approver_kind, approver_role, condition,
                            sla_hours, escalate_to_role, escalate_after_hours)
select id, 'invoice', 1, 'Procurement manager', 'role', 'ProcurementMgr', '', 48, null, null
  from tenants
on conflict (tenant_id, doc_type, stage) do nothing;
