-- Units of measure with conversions (issue 25, point 9). A tenant keeps its units (a code such as
-- PCS, BOX, KG; names per language; how many decimal places a quantity in the unit may have) and
-- the conversions between them ("1 BOX = 12 PCS"), general or for one item (an item's own wins).
-- Codes are unique per tenant whatever their case, and compared without regard to case; an item's
-- unit is one of its tenant's units (foreign key). Requisition and order lines keep the unit they
-- were entered in as text; stock is kept in the item's unit (inventory::model::units converts).

create table units (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  -- no white space, at most 20 characters (what items.unit allowed)
  code text not null check (code ~ '^[^[:space:]]{1,20}$'),
  -- {"en": "Box", "hi": "डिब्बा", ...}; English required
  names jsonb not null check (jsonb_typeof(names) = 'object' and length(names->>'en') between 1 and 100),
  decimals smallint not null default 0 check (decimals between 0 and 6),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code)
);
create unique index units_tenant_code_ci on units (tenant_id, lower(code));

-- 1 from_unit = factor to_unit; the reverse is implied (one row per pair of units and item,
-- whichever way it was written).
create table unit_conversions (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  from_unit text not null,
  to_unit text not null,
  factor numeric(24,12) not null check (factor > 0),
  item_id uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (lower(from_unit) <> lower(to_unit)),
  foreign key (tenant_id, from_unit) references units(tenant_id, code),
  foreign key (tenant_id, to_unit) references units(tenant_id, code),
  foreign key (tenant_id, item_id) references items(tenant_id, id)
);
create unique index unit_conversions_pair on unit_conversions (tenant_id, least(from_unit, to_unit),
  greatest(from_unit, to_unit), coalesce(item_id, '00000000-0000-0000-0000-000000000000'::uuid));
create index unit_conversions_item on unit_conversions (tenant_id, item_id) where item_id is not null;

-- Existing tenants: a unit for every distinct unit text their items and lines use (white space
-- inside becomes _, texts differing only in case are one unit, the first in byte order), with the
-- text as its English name and 4 decimals (what the quantity columns keep); items then name it.
create temporary table units_found on commit drop as
  select tenant_id, code, original from (
    select tenant_id, coalesce(nullif(regexp_replace(btrim(unit), '\s+', '_', 'g'), ''), 'UNIT') as code,
           coalesce(nullif(btrim(unit), ''), 'UNIT') as original
      from (select tenant_id, unit from items
            union select tenant_id, unit from requisition_lines
            union select tenant_id, unit from purchase_order_lines) u) c;
insert into units (tenant_id, code, names, decimals)
  select distinct on (tenant_id, lower(code)) tenant_id, code, jsonb_build_object('en', left(original, 100)), 4
    from units_found
   order by tenant_id, lower(code), code;
update items i set unit = u.code
  from units u
 where u.tenant_id = i.tenant_id
   and lower(u.code) = lower(coalesce(nullif(regexp_replace(btrim(i.unit), '\s+', '_', 'g'), ''), 'UNIT'))
   and i.unit <> u.code;
alter table items add constraint items_unit_fkey foreign key (tenant_id, unit) references units(tenant_id, code);

-- Received goods enter stock in the item's unit: what a receipt line's accepted quantity (in the
-- order line's unit) came to in it, when the two differ (null: the same).
alter table goods_receipt_lines add column stock_quantity numeric(18,4) check (stock_quantity > 0);

alter table units enable row level security;
alter table units force row level security;
create policy tenant_isolation on units using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
alter table unit_conversions enable row level security;
alter table unit_conversions force row level security;
create policy tenant_isolation on unit_conversions using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on units to millwright_app;
grant select, insert, update, delete on unit_conversions to millwright_app;
