-- Inventory: the item master translated per language with its full-text vector, the category
-- tree, storage locations, the stock ledger (immutable movements) with balances per item and
-- location kept in the same transaction, goods receipts against purchase orders with acceptance by
-- the requester, UIDs (serial numbers and lots) with their lifecycle, transfers between plants,
-- and bulk imports of items. Tenant-owned like the rest.

create table item_categories (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  -- {"en": "Bearings", "hi": "बेयरिंग", ...}
  names jsonb not null check (jsonb_typeof(names) = 'object' and names ? 'en'),
  parent_id uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  foreign key (tenant_id, parent_id) references item_categories(tenant_id, id)
);

-- (no reference to tenants: see tenants_are_kept)
create table items (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  sku text not null check (sku ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  -- name and description per language; English is required, the others optional
  names jsonb not null check (jsonb_typeof(names) = 'object' and length(names->>'en') between 1 and 200),
  descriptions jsonb not null default '{}' check (jsonb_typeof(descriptions) = 'object'),
  category_id uuid,
  unit text not null check (length(unit) between 1 and 20),
  reorder_level numeric(18,4) not null default 0 check (reorder_level >= 0),
  reorder_quantity numeric(18,4) not null default 0 check (reorder_quantity >= 0),
  tracking text not null default 'lot' check (tracking in ('serial','lot')),
  specs jsonb not null default '{}' check (jsonb_typeof(specs) = 'object'),
  active boolean not null default true,
  -- ranked words: English stemmed (weight A for names), every language as plain tokens
  -- ('simple' splits and lower-cases Devanagari, Bengali, Telugu and Arabic alike)
  search_vector tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, coalesce(names->>'en', '')), 'A') ||
    setweight(to_tsvector('simple'::regconfig,
      coalesce(names->>'hi', '') || ' ' || coalesce(names->>'bn', '') || ' ' ||
      coalesce(names->>'te', '') || ' ' || coalesce(names->>'ar', '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(descriptions->>'en', '')), 'B') ||
    setweight(to_tsvector('simple'::regconfig,
      coalesce(descriptions->>'hi', '') || ' ' || coalesce(descriptions->>'bn', '') || ' ' ||
      coalesce(descriptions->>'te', '') || ' ' || coalesce(descriptions->>'ar', '') || ' ' || specs::text), 'C')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- the segment of the full-text index the item is read through: 0, shared by every company, or
  -- one of the company's own (item_segments, with the search)
  segment smallint not null default 0,
  primary key (tenant_id, id),
  foreign key (tenant_id, category_id) references item_categories(tenant_id, id)
);
-- One B-tree over (tenant, SKU) in byte order serves both uniqueness and the SKU-prefix search
-- (`sku ~>=~ … and sku ~<~ …`): a unique constraint beside a prefix index would be two B-trees over
-- the same (tenant, SKU), 1.5 s of a million-item import.
create unique index items_tenant_sku on items (tenant_id, sku text_pattern_ops);
create index items_category on items (tenant_id, category_id);

-- plant → warehouse → rack → bin; `code` is the printed label, e.g. MAIN-WH1-R02-B07
create table locations (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  plant_id uuid not null,
  warehouse text not null check (warehouse ~ '^[A-Z0-9]{1,10}$'),
  rack text check (rack ~ '^[A-Z0-9]{1,10}$'),
  bin text check (bin ~ '^[A-Z0-9]{1,10}$'),
  code text not null,
  capacity numeric(18,4) check (capacity > 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  check (bin is null or rack is not null),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id)
);

-- what is where: kept by the same transaction as each movement; never negative
create table stock_balances (
  tenant_id uuid not null references tenants(id),
  item_id uuid not null,
  location_id uuid not null,
  on_hand numeric(18,4) not null default 0 check (on_hand >= 0),
  available numeric(18,4) not null default 0 check (available >= 0 and available <= on_hand),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id, location_id),
  foreign key (tenant_id, item_id) references items(tenant_id, id),
  foreign key (tenant_id, location_id) references locations(tenant_id, id)
);
create index stock_balances_location on stock_balances (tenant_id, location_id);

-- moving average cost per item (company-wide), from receipt prices
create table item_costs (
  tenant_id uuid not null references tenants(id),
  item_id uuid not null,
  quantity numeric(18,4) not null default 0 check (quantity >= 0),
  average_cost numeric(18,6) not null default 0 check (average_cost >= 0),
  primary key (tenant_id, item_id),
  foreign key (tenant_id, item_id) references items(tenant_id, id)
);

-- the ledger: one immutable row per movement; corrections are reversals, never edits
-- (no reference to tenants: see tenants_are_kept)
create table stock_movements (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('receipt','acceptance','issue','transfer_out','transfer_in','move_out','move_in','adjustment','reversal')),
  item_id uuid not null,
  location_id uuid not null,
  -- signed: positive in, negative out
  quantity numeric(18,4) not null check (quantity <> 0),
  -- which of the two balances it changes: both for goods entering or leaving, `available` only for acceptance
  affects text not null default 'both' check (affects in ('both','on_hand','available')),
  unit_cost numeric(18,6),
  reason text,
  doc_type text,
  doc_id uuid,
  reverses uuid,
  user_id uuid,
  at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, item_id) references items(tenant_id, id),
  foreign key (tenant_id, location_id) references locations(tenant_id, id)
);
create index stock_movements_item on stock_movements (tenant_id, item_id, at desc);
create index stock_movements_location on stock_movements (tenant_id, location_id, at desc);
-- a movement is reversed at most once
create unique index stock_movements_reversed_once on stock_movements (tenant_id, reverses) where reverses is not null;
-- an issue's units are found by the movement being reversed (inventory::stock::units_follow)
create index stock_movements_doc on stock_movements (tenant_id, doc_type, doc_id) where doc_id is not null;

create function stock_movements_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'stock movements are immutable: post a reversal instead' using errcode = '55000';
end $$;
create trigger stock_movements_no_update before update or delete on stock_movements
  for each row execute function stock_movements_immutable();

create trigger items_touch before update on items for each row execute function touch_updated_at();

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
-- Serial-numbered units follow issues, moves and transfers (inventory::stock::units_follow): the
-- oldest available units of an item at a place are picked.
create index uids_available on uids (tenant_id, item_id, location_id, created_at, uid)
  where kind = 'serial' and status in ('accepted', 'transferred');
-- A receipt line's units and lot are found by the line: when the requester accepts a receipt
-- (inventory::receipts::accept, line by line) and when a receipt is shown with its UIDs.
create index uids_receipt_line on uids (tenant_id, receipt_line_id) where receipt_line_id is not null;

-- (no reference to tenants: see tenants_are_kept)
create table uid_events (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  uid_id uuid not null,
  event text not null,
  location_id uuid,
  movement_id uuid,
  user_id uuid,
  at timestamptz not null default now(),
  -- how much of a lot the event moved (null for a serial-numbered unit, which is one)
  quantity numeric(18,4),
  primary key (tenant_id, id),
  foreign key (tenant_id, uid_id) references uids(tenant_id, id)
);
create index uid_events_uid on uid_events (tenant_id, uid_id, at);
-- a transfer's units are found again by the movement that sent them
create index uid_events_movement on uid_events (tenant_id, movement_id) where movement_id is not null;

-- Lots are split by partial movements: each lot has a quantity per place (accepted goods only;
-- kept in the movement's transaction by inventory::stock), and each of its events the quantity it
-- concerned, so that issuing 3 of a lot of 10 leaves 7 at its bin and shows in its trace. A lot is
-- issued (or written off) when nothing of it is left anywhere; it is in transit when all that is
-- left of it is on the road.
create table lot_balances (
  tenant_id uuid not null references tenants(id),
  uid_id uuid not null,
  location_id uuid not null,
  quantity numeric(18,4) not null check (quantity >= 0),
  primary key (tenant_id, uid_id, location_id),
  foreign key (tenant_id, uid_id) references uids(tenant_id, id),
  foreign key (tenant_id, location_id) references locations(tenant_id, id)
);
-- the lots at a place, oldest first, for issues, moves and transfers
create index lot_balances_place on lot_balances (tenant_id, location_id) where quantity > 0;

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

-- Bulk import of items from CSV: one row per import, read by the progress bar and
-- `GET /api/v1/jobs/{id}`; the work itself is a `jobs` row of kind `import_items` claimed by a
-- worker. Errors are kept as codes with line and column and translated when read.
create table import_jobs (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  kind text not null default 'items' check (kind in ('items')),
  status text not null default 'queued' check (status in ('queued','running','succeeded','failed')),
  -- reading, checking, writing: what a running import is doing
  phase text,
  file_key text not null,
  file_name text not null,
  total bigint not null default 0,
  processed bigint not null default 0,
  imported bigint not null default 0,
  -- [{"line": 12, "column": "sku", "code": "duplicate", "detail": "…"}], at most 1,000
  errors jsonb not null default '[]',
  error_count bigint not null default 0,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id)
);
create index import_jobs_recent on import_jobs (tenant_id, created_at desc);

do $$
declare t text;
begin
  foreach t in array array['item_categories','items','locations','stock_balances','item_costs','stock_movements',
                           'goods_receipts','goods_receipt_lines','uids','uid_events','lot_balances',
                           'stock_transfers','import_jobs'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
end $$;
grant select, insert, update, delete on item_categories, items, locations, stock_balances, item_costs,
  goods_receipts, goods_receipt_lines, uids, uid_events, lot_balances to millwright_app;
-- the ledger is append-only for the application too
grant select, insert on stock_movements to millwright_app;
grant select, insert, update on stock_transfers, import_jobs to millwright_app;

-- Inventory searches are kept per instance until the tenant's inventory changes (notify_change).
create trigger items_changes after insert or update or delete on items
  for each statement execute function notify_change('inventory');
create trigger item_categories_changes after insert or update or delete on item_categories
  for each statement execute function notify_change('inventory');
create trigger stock_balances_changes after insert or update or delete on stock_balances
  for each statement execute function notify_change('inventory');
create trigger locations_changes after insert or update or delete on locations
  for each statement execute function notify_change('inventory');
create trigger plants_changes after insert or update or delete on plants
  for each statement execute function notify_change('inventory');
create trigger items_truncate after truncate on items
  for each statement execute function notify_change('inventory');
create trigger stock_balances_truncate after truncate on stock_balances
  for each statement execute function notify_change('inventory');

-- Which lines of a requisition refer to a supplier or catalogue item that is not an active record
-- of the tenant (row-level security: another company's id is simply unknown), by line number. One
-- rule for both ways lines are written: create_requisition and the edit of a draft
-- (procurement::service::insert_lines). A procurement rule, defined here because a SQL function's
-- body is checked when it is created, and it reads the items.
create function requisition_line_refusals(l_no int[], l_supplier uuid[], l_item uuid[])
returns table (suppliers int[], items int[])
language sql stable security invoker as $$
  select array_agg(x.n order by x.n) filter (where x.s is not null and not exists(
           select 1 from suppliers s where s.id = x.s and s.active)),
         array_agg(x.n order by x.n) filter (where x.i is not null and not exists(
           select 1 from items i where i.id = x.i and i.active))
    from unnest(l_no, l_supplier, l_item) as x(n, s, i)
$$;
grant execute on function requisition_line_refusals(int[], uuid[], uuid[]) to millwright_app;
