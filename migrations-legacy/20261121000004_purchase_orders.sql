-- Purchase orders (issue 3): generated from approved requisition lines, one per supplier and
-- delivery plant; the e-mail outbox; attachments; idempotency keys. Tenant-owned like the rest.

alter table tenants
  add column default_tax_rate numeric(7,4) not null default 0.05 check (default_tax_rate between 0 and 1),
  add column po_approval_threshold numeric(18,4) not null default 100000 check (po_approval_threshold >= 0);

create table purchase_orders (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  number text not null,
  status text not null default 'draft'
    check (status in ('draft','pending_approval','approved','sent','partially_received','received','closed','cancelled')),
  supplier_id uuid not null,
  plant_id uuid,
  delivery_address text,
  expected_delivery_date date,
  payment_terms_days integer not null,
  currency char(3) not null,
  subtotal numeric(18,4) not null default 0,
  tax_amount numeric(18,4) not null default 0,
  total numeric(18,4) not null default 0,
  current_stage integer,
  created_by uuid not null,
  approved_at timestamptz,
  sent_at timestamptz,
  status_comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, supplier_id) references suppliers(tenant_id, id),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id)
);
create index purchase_orders_status on purchase_orders (tenant_id, status, created_at desc);
create index purchase_orders_supplier on purchase_orders (tenant_id, supplier_id, created_at desc);

create table purchase_order_lines (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  purchase_order_id uuid not null,
  line_no integer not null,
  requisition_line_id uuid not null,
  item_id uuid,
  description text not null,
  quantity numeric(18,4) not null check (quantity > 0),
  unit text not null,
  unit_price numeric(18,4) not null check (unit_price >= 0),
  tax_rate numeric(7,4) not null check (tax_rate between 0 and 1),
  line_subtotal numeric(18,4) not null,
  tax_amount numeric(18,4) not null,
  line_total numeric(18,4) not null,
  received_quantity numeric(18,4) not null default 0 check (received_quantity >= 0),
  primary key (tenant_id, id),
  unique (tenant_id, purchase_order_id, line_no),
  foreign key (tenant_id, purchase_order_id) references purchase_orders(tenant_id, id) on delete cascade,
  foreign key (tenant_id, requisition_line_id) references requisition_lines(tenant_id, id)
);
create index purchase_order_lines_req_line on purchase_order_lines (tenant_id, requisition_line_id);

-- The transactional outbox: an e-mail is a row written in the same transaction as the change that
-- causes it, and a `send_email` job; a worker delivers it over SMTP with retries and backoff.
create table outbox_emails (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  to_address text not null,
  to_name text,
  subject text not null,
  body_text text not null,
  attachment_name text,
  attachment_type text,
  attachment bytea,
  status text not null default 'pending' check (status in ('pending','sent','failed')),
  attempts integer not null default 0,
  last_error text,
  doc_type text,
  doc_id uuid,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (tenant_id, id)
);
create index outbox_emails_doc on outbox_emails (tenant_id, doc_type, doc_id);

create table attachments (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  doc_type text not null check (doc_type in ('requisition','purchase_order')),
  doc_id uuid not null,
  file_name text not null check (length(file_name) between 1 and 255),
  content_type text not null,
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text not null,
  storage_key text not null,
  uploaded_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, uploaded_by) references users(tenant_id, id)
);
create index attachments_doc on attachments (tenant_id, doc_type, doc_id, created_at);

-- A POST that creates a document, retried with the same Idempotency-Key, answers the first result.
create table idempotency_keys (
  tenant_id uuid not null references tenants(id),
  user_id uuid not null,
  key text not null check (length(key) between 1 and 200),
  request_hash text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id, key)
);

do $$
declare t text;
begin
  foreach t in array array['purchase_orders'] loop
    execute format('create trigger %I before update on %I for each row execute function touch_updated_at()', t || '_touch', t);
  end loop;
  foreach t in array array['purchase_orders','purchase_order_lines','outbox_emails','attachments','idempotency_keys'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
    execute format('grant select, insert, update, delete on %I to millwright_app', t);
  end loop;
end
$$;
