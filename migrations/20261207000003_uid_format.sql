-- UIDs exactly as seed 002 writes them: UID-{TENANT}-{PLANT}-{TYPE}-{SEQUENCE}-{CHECK}, e.g.
-- UID-SAIF-KOL-RM-000001-6I: a three-character plant code, the item's two-letter material type,
-- six digits per tenant, plant and type, and two ISO/IEC 7064 MOD 1271-36 check characters
-- (app/src/inventory/model/uid.rs). Until now they were UID-DEMO-MAIN-SER-000001-5 (serial or lot,
-- one MOD 37-2 character, one sequence per tenant); each is renamed here and keeps its former text,
-- which is still recognised when typed or scanned.

-- Plant codes are three letters or digits: they are the PLANT of a UID. A code of another length
-- becomes its first three characters (a two-character one gets a 0: HQ → HQ0); when the tenant
-- already has that code, its first two characters and a digit 1–9 (MAIN → MAI, then MA1, MA2, …),
-- then its first character and two digits. Plants are taken in the order they were made. The
-- locations named after a renamed plant (MAIN-WH1-R01-B01) are renamed with it (MAI-WH1-R01-B01).
do $$
declare
  p record;
  candidate text;
  n int;
begin
  for p in select tenant_id, id, code from plants where code !~ '^[A-Z0-9]{3}$'
            order by tenant_id, created_at, code loop
    candidate := rpad(left(p.code, 3), 3, '0');
    n := 0;
    while exists (select 1 from plants where tenant_id = p.tenant_id and code = candidate) loop
      n := n + 1;
      if n > 108 then
        raise exception 'no free three-character code for plant % of tenant %', p.code, p.tenant_id;
      end if;
      candidate := case when n <= 9 then left(p.code, 2) || n
                        else left(p.code, 1) || lpad((n - 9)::text, 2, '0') end;
    end loop;
    update plants set code = candidate where tenant_id = p.tenant_id and id = p.id;
    update locations l set code = candidate || substr(l.code, length(p.code) + 1)
     where l.tenant_id = p.tenant_id and l.plant_id = p.id and l.code like p.code || '-%'
       and not exists (select 1 from locations o where o.tenant_id = l.tenant_id
                         and o.code = candidate || substr(l.code, length(p.code) + 1));
  end loop;
end $$;
alter table plants drop constraint plants_code_check;
alter table plants add constraint plants_code_check check (code ~ '^[A-Z0-9]{3}$');

-- The item master's material type (app/src/inventory/model/material.rs): RM raw material, CP
-- component, SF semi-finished, FG finished good, CN consumable, SP spare, PK packaging, TL tool.
-- Existing items are consumables unless their category says otherwise (the demo's categories:
-- mechanical parts are spares, electrical ones components).
alter table items add column material_type text not null default 'CN'
  check (material_type in ('RM','CP','SF','FG','CN','SP','PK','TL'));
update items i set material_type = case when c.code in ('MECH', 'BRG', 'PT') then 'SP' else 'CP' end
  from item_categories c
 where c.tenant_id = i.tenant_id and c.id = i.category_id and c.code in ('MECH', 'BRG', 'PT', 'ELEC', 'SENS');

-- The last UID number drawn per tenant, plant and material type.
create table uid_counters (
  tenant_id uuid not null references tenants(id),
  plant_id uuid not null,
  material_type text not null check (material_type in ('RM','CP','SF','FG','CN','SP','PK','TL')),
  last_value bigint not null check (last_value > 0),
  primary key (tenant_id, plant_id, material_type),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id)
);
alter table uid_counters enable row level security;
alter table uid_counters force row level security;
create policy tenant_isolation on uid_counters using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on uid_counters to millwright_app;

-- The two MOD 1271-36 check characters of the letters and digits of a UID's body, as the server
-- computes them (inventory::model::uid::check_chars; a test holds the two to the same answers).
create function uid_check_chars(body text) returns text
language plpgsql immutable strict parallel safe as $$
declare
  alnum constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  p int := 0;
  c int;
  ch text;
begin
  foreach ch in array regexp_split_to_array(upper(body), '') loop
    c := strpos(alnum, ch) - 1;
    if c >= 0 then
      p := (p * 36 + c) % 1271;
    end if;
  end loop;
  c := (1271 + 1 - (p * 1296) % 1271) % 1271;
  return substr(alnum, c / 36 + 1, 1) || substr(alnum, c % 36 + 1, 1);
end $$;

-- A UID's text before this migration, by which it is still found.
alter table uids add column former_uid text;
create unique index uids_former on uids (tenant_id, former_uid) where former_uid is not null;

-- Every UID renamed: its tenant code as it was, the code of the plant it was received at (the
-- receipt line's place, else the receipt's plant, else where it is now), its item's material type
-- and its number within that plant and type in the order the UIDs were made. A UID with no plant
-- to be found keeps its text.
with placed as (
  select u.tenant_id, u.id, u.uid, split_part(u.uid, '-', 2) as tenant_code, u.created_at,
         coalesce(rl.plant_id, g.plant_id, cl.plant_id) as plant_id, i.material_type
    from uids u
    join items i on i.tenant_id = u.tenant_id and i.id = u.item_id
    left join goods_receipt_lines gl on gl.tenant_id = u.tenant_id and gl.id = u.receipt_line_id
    left join locations rl on rl.tenant_id = gl.tenant_id and rl.id = gl.location_id
    left join goods_receipts g on g.tenant_id = gl.tenant_id and g.id = gl.receipt_id
    left join locations cl on cl.tenant_id = u.tenant_id and cl.id = u.location_id
   where u.former_uid is null and u.uid ~ '^UID-[A-Z0-9]+-[A-Z0-9]+-(SER|LOT)-[0-9]+-.$'
), sequenced as (
  select pl.tenant_id, pl.id, pl.plant_id, pl.material_type, pl.tenant_code, p.code as plant_code,
         row_number() over (partition by pl.tenant_id, pl.plant_id, pl.material_type
                            order by pl.created_at, pl.uid) as seq
    from placed pl
    join plants p on p.tenant_id = pl.tenant_id and p.id = pl.plant_id
), numbered as (
  select tenant_id, id, plant_id, material_type, seq,
         'UID-' || tenant_code || '-' || plant_code || '-' || material_type || '-' ||
           case when seq < 1000000 then lpad(seq::text, 6, '0') else seq::text end as body
    from sequenced
), renamed as (
  update uids u set former_uid = u.uid, uid = n.body || '-' || uid_check_chars(n.body)
    from numbered n
   where u.tenant_id = n.tenant_id and u.id = n.id
  returning n.tenant_id, n.plant_id, n.material_type, n.seq
)
insert into uid_counters (tenant_id, plant_id, material_type, last_value)
select tenant_id, plant_id, material_type, max(seq) from renamed group by 1, 2, 3;

-- UID numbers are drawn from uid_counters now
delete from doc_counters where doc_type = 'UID' and year = 0;
