-- Inventory (issue 4), first part: the item master translated per language with its search
-- columns, the category tree, storage locations, and the stock ledger (immutable movements) with
-- balances per item and location kept in the same transaction. Tenant-owned like the rest.

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

create table items (
  tenant_id uuid not null references tenants(id),
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
  -- every translation, the SKU and the specifications in one text for trigram matching
  search_text text generated always as (
    sku || ' ' || coalesce(names->>'en', '') || ' ' || coalesce(names->>'hi', '') || ' ' ||
    coalesce(names->>'bn', '') || ' ' || coalesce(names->>'te', '') || ' ' || coalesce(names->>'ar', '') || ' ' ||
    coalesce(descriptions->>'en', '') || ' ' || coalesce(descriptions->>'hi', '') || ' ' ||
    coalesce(descriptions->>'bn', '') || ' ' || coalesce(descriptions->>'te', '') || ' ' ||
    coalesce(descriptions->>'ar', '') || ' ' || specs::text
  ) stored,
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
  primary key (tenant_id, id),
  unique (tenant_id, sku),
  foreign key (tenant_id, category_id) references item_categories(tenant_id, id)
);
create index items_sku_prefix on items (tenant_id, sku text_pattern_ops);
create index items_trgm on items using gin (search_text gin_trgm_ops);
create index items_fts on items using gin (search_vector);
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
create table stock_movements (
  tenant_id uuid not null references tenants(id),
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

create or replace function stock_movements_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'stock movements are immutable: post a reversal instead' using errcode = '55000';
end $$;
create trigger stock_movements_no_update before update or delete on stock_movements
  for each row execute function stock_movements_immutable();

create trigger items_touch before update on items for each row execute function touch_updated_at();

do $$
declare t text;
begin
  foreach t in array array['item_categories','items','locations','stock_balances','item_costs','stock_movements'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
    execute format('grant select, insert, update, delete on %I to millwright_app', t);
  end loop;
end $$;
-- the ledger is append-only for the application too
revoke update, delete on stock_movements from millwright_app;
