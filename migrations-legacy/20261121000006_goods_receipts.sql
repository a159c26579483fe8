-- Goods receipts against purchase orders, acceptance by the requester, and UIDs with their
-- lifecycle (issue 4, second part).

alter table tenants add column receipt_tolerance numeric(6,4) not null default 0.05
  check (receipt_tolerance between 0 and 1);

create table goods_receipts (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  number text not null,
  purchase_order_id uuid not null,
  plant_id uuid,
  status text not null default 'pending_acceptance' check (status in ('pending_acceptance','accepted')),
  received_by uuid not null,
  received_at timestamptz not null default now(),
  accepted_by uuid,
  accepted_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, purchase_order_id) references purchase_orders(tenant_id, id),
  foreign key (tenant_id, received_by) references users(tenant_id, id)
);
create index goods_receipts_po on goods_receipts (tenant_id, purchase_order_id);

create table goods_receipt_lines (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  receipt_id uuid not null,
  purchase_order_line_id uuid not null,
  item_id uuid,
  accepted_quantity numeric(18,4) not null check (accepted_quantity >= 0),
  rejected_quantity numeric(18,4) not null default 0 check (rejected_quantity >= 0),
  rejection_reason text,
  location_id uuid,
  unit_cost numeric(18,6) not null,
  primary key (tenant_id, id),
  check (accepted_quantity + rejected_quantity > 0),
  check (rejected_quantity = 0 or rejection_reason is not null),
  foreign key (tenant_id, receipt_id) references goods_receipts(tenant_id, id),
  foreign key (tenant_id, purchase_order_line_id) references purchase_order_lines(tenant_id, id),
  foreign key (tenant_id, item_id) references items(tenant_id, id),
  foreign key (tenant_id, location_id) references locations(tenant_id, id)
);
create index goods_receipt_lines_receipt on goods_receipt_lines (tenant_id, receipt_id);

create table uids (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  uid text not null,
  item_id uuid not null,
  kind text not null check (kind in ('serial','lot')),
  quantity numeric(18,4) not null check (quantity > 0),
  receipt_line_id uuid,
  location_id uuid,
  status text not null check (status in ('received','accepted','in_transit','transferred','issued','adjusted')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, uid),
  foreign key (tenant_id, item_id) references items(tenant_id, id),
  foreign key (tenant_id, receipt_line_id) references goods_receipt_lines(tenant_id, id),
  foreign key (tenant_id, location_id) references locations(tenant_id, id)
);
create index uids_item on uids (tenant_id, item_id);

create table uid_events (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  uid_id uuid not null,
  event text not null,
  location_id uuid,
  movement_id uuid,
  user_id uuid,
  at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, uid_id) references uids(tenant_id, id)
);
create index uid_events_uid on uid_events (tenant_id, uid_id, at);

do $$
declare t text;
begin
  foreach t in array array['goods_receipts','goods_receipt_lines','uids','uid_events'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
    execute format('grant select, insert, update, delete on %I to millwright_app', t);
  end loop;
end $$;

-- cross-plant transfers: out of the sending location at dispatch, in transit until received
create table stock_transfers (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  item_id uuid not null,
  from_location_id uuid not null,
  to_location_id uuid not null,
  quantity numeric(18,4) not null check (quantity > 0),
  status text not null default 'in_transit' check (status in ('in_transit','received')),
  sent_by uuid not null,
  sent_at timestamptz not null default now(),
  received_by uuid,
  received_at timestamptz,
  primary key (tenant_id, id),
  check (from_location_id <> to_location_id),
  foreign key (tenant_id, item_id) references items(tenant_id, id),
  foreign key (tenant_id, from_location_id) references locations(tenant_id, id),
  foreign key (tenant_id, to_location_id) references locations(tenant_id, id)
);
alter table stock_transfers enable row level security;
alter table stock_transfers force row level security;
create policy tenant_isolation on stock_transfers using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on stock_transfers to millwright_app;
