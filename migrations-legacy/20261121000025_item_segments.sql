-- Full-text search in a large company, a segment of its items at a time.
--
-- The full-text index was one GIN over (tenant_id, search_vector). For a company of a million
-- items every search intersected the company's own entry (a million item pointers) with its words'
-- entries: 7.5 ms of the index's 8 ms for "hydraulic bearing", and the whole list of matches was
-- collected although a search ranks at most 300 of them.
--
-- Items now carry a segment. Segment 0 is shared by every company and indexed by (tenant_id,
-- search_vector) as before. Segments 1–30 each hold up to 65,536 items of one company only
-- (`item_segments`), indexed by search_vector alone: no company entry to intersect, and a search
-- reads its company's segments one after the other and stops as soon as it has enough matches
-- (a UNION ALL under a LIMIT runs its branches in order; `search_words`, `suggest_words`).
-- "hydraulic bearing" in the million-item company: 1.8 ms instead of 7.5. Row-level security
-- still decides which rows a search sees.
--
-- A bulk import that takes a company past 65,536 items places its rows in segments of their own
-- (`place_imported_items`); other items, and any once the 30 segments are taken, go to segment 0.
alter table items add column if not exists segment smallint not null default 0;

create table item_segments (
  segment smallint primary key check (segment between 1 and 30),
  tenant_id uuid not null references tenants(id),
  items integer not null default 0 check (items between 0 and 65536)
);
create index item_segments_tenant on item_segments (tenant_id, segment);
alter table item_segments enable row level security;
alter table item_segments force row level security;
create policy tenant_isolation on item_segments using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on item_segments to millwright_app;

-- Where `n` new items of the current company go, in the order they are inserted: the first
-- `open_room` to `open_segment` (the company's last segment with room), the rest 65,536 at a time
-- to `fresh` (segments taken for the company now); rows beyond those go to segment 0. Counts are
-- recorded as if all `n` are inserted (the caller's transaction inserts them or none).
create or replace function place_imported_items(n bigint, out open_segment smallint, out open_room integer,
                                                out fresh smallint[])
language plpgsql as $$
declare
  t uuid := current_tenant_id();
  present bigint;
  left_over bigint := n;
  k smallint;
begin
  fresh := '{}';
  open_room := 0;
  -- one import of a company places its rows at a time
  perform pg_advisory_xact_lock(hashtextextended('item_segments:' || t::text, 0));
  select s.segment, 65536 - s.items into open_segment, open_room
    from item_segments s where s.items < 65536 order by s.segment desc limit 1;
  if open_segment is null then
    select count(*) into present from items;
    if present + n <= 65536 then
      return;
    end if;
    open_room := 0;
  end if;
  open_room := least(open_room, left_over);
  if open_room > 0 then
    update item_segments set items = items + open_room where segment = open_segment;
    left_over := left_over - open_room;
  end if;
  -- free segments are claimed by inserting them (the primary key refuses a taken one, whoever has it)
  k := 1;
  while left_over > 0 and k <= 30 loop
    insert into item_segments (segment, tenant_id, items) values (k, t, least(left_over, 65536))
    on conflict (segment) do nothing;
    if found then
      fresh := fresh || k;
      left_over := left_over - least(left_over, 65536);
    end if;
    k := k + 1;
  end loop;
end $$;
grant execute on function place_imported_items(bigint) to millwright_app;

-- Companies already past 65,536 items (imported before segments) get theirs, in the order their
-- items were written.
do $$
declare
  c record;
  k smallint := 1;
  m integer;
begin
  for c in select tenant_id, count(*) n from items group by tenant_id having count(*) > 65536 order by 2 desc loop
    exit when k > 30;
    m := least(ceil(c.n / 65536.0)::integer, 31 - k);
    insert into item_segments (segment, tenant_id, items)
    select k + g, c.tenant_id, least(65536, c.n - g * 65536) from generate_series(0, m - 1) g;
    update items i set segment = k + o.g
      from (select id, (row_number() over (order by ctid) - 1) / 65536 g from items where tenant_id = c.tenant_id) o
     where i.tenant_id = c.tenant_id and i.id = o.id and o.g < m;
    k := k + m;
  end loop;
end $$;

create index if not exists items_fts_shared on items using gin (tenant_id, search_vector) where segment = 0;
do $$
begin
  for k in 1..30 loop
    execute format('create index if not exists items_fts_segment_%s on items using gin (search_vector) where segment = %s', k, k);
  end loop;
end $$;
drop index if exists items_tenant_fts;

-- The filters of a search: the items of a category and the categories under it, and whether an
-- item has stock available (at a plant, when given).
create or replace function category_subtree(root uuid) returns setof uuid language sql stable as $$
  with recursive sub as (select id from item_categories where id = root
                         union all select c.id from item_categories c join sub on c.parent_id = sub.id)
  select id from sub
$$;
create or replace function item_in_stock(item uuid, at_plant text) returns boolean language sql stable as $$
  select exists(select 1 from stock_balances sb
                  join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
                  join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
                 where sb.item_id = item and sb.available > 0 and (at_plant is null or pl.code = at_plant))
$$;
grant execute on function category_subtree(uuid) to millwright_app;
grant execute on function item_in_stock(uuid, text) to millwright_app;

-- The items matching a text-search query, segment by segment, until `cap` are found: segment 0,
-- then each segment of the company's own (the others are skipped by a one-time filter on `segs`).
-- Each branch names its segment as a literal, so it reads that segment's partial index; the plan
-- is made once per connection (generic), as planning 31 branches at every search cost more than
-- running them, and always through the index's bitmap (a LIMIT would otherwise tempt the planner
-- to walk another index of the company's items), in one process (parallel workers would take
-- longer to start than the search, and would not stop at the LIMIT in order). `search_words` ranks
-- with the filters of a search (category and the ones under it, stock available, at a plant);
-- `suggest_words` is the type-ahead's.
do $do$
declare
  search_tiers text;
  suggest_tiers text;
  -- what both functions are: how they are planned and run, and the company's segments (`top`:
  -- its highest)
  head text := $h$
    language plpgsql stable
    set plan_cache_mode = force_generic_plan set enable_seqscan = off set enable_indexscan = off
    set enable_bitmapscan = on set max_parallel_workers_per_gather = 0
    as $body$
    declare
      segs smallint[] := array(select segment from item_segments);
      top smallint := coalesce((select max(s) from unnest(segs) s), 0);
    begin
  $h$;
begin
  -- one statement per tier of segments (0; 0–4; 0–8; 0–16; 0–30), chosen by the company's highest
  -- segment: only the statement run is started, and starting a branch opens and locks its
  -- segment's index even when the branch is skipped
  select string_agg(format('%s top <= %s then return query select * from (%s) u limit cap;',
                           case when t = 0 then 'if' else 'elsif' end, t, search_branches), E'\n' order by t)
           || E'\nend if;',
         string_agg(format('%s top <= %s then return query select * from (%s) u limit cap;',
                           case when t = 0 then 'if' else 'elsif' end, t, suggest_branches), E'\n' order by t)
           || E'\nend if;'
    into search_tiers, suggest_tiers
    from unnest(array[0, 4, 8, 16, 30]) t,
         lateral (
           select string_agg(format(
                    'select i.id, i.sku, i.category_id, (weight * (1 + ts_rank(i.search_vector, q)))::real
                       from items i where i.segment = %s%s and i.search_vector @@ q and i.active
                        and (want_category is null or i.category_id in (select category_subtree(want_category)))',
                    k, gate), ' union all ' order by k) as search_branches,
                  string_agg(format(
                    'select i.id, i.sku, i.names, (weight * (1 + ts_rank(i.search_vector, q)))::real
                       from items i where i.segment = %s%s and i.search_vector @@ q and i.active',
                    k, gate), ' union all ' order by k) as suggest_branches
             from generate_series(0, t) k,
                  lateral (select case when k > 0 then format(' and %s = any(segs)', k) else '' end gate) g
         ) b;
  execute format($f$
    create or replace function search_words(q tsquery, want_category uuid, want_plant text, want_in_stock boolean,
                                            weight real, cap integer)
    returns table (item_id uuid, item_sku text, item_category uuid, item_score real)
    %s
      if want_in_stock then
        -- items with stock available are fewer than those with a common word: read them first
        return query
          select i.id, i.sku, i.category_id, (weight * (1 + ts_rank(i.search_vector, q)))::real
            from items i
           where i.id in (select sb.item_id from stock_balances sb
                            join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
                            join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
                           where sb.available > 0 and (want_plant is null or pl.code = want_plant))
             and i.search_vector @@ q and i.active
             and (want_category is null or i.category_id in (select category_subtree(want_category)))
           limit cap;
        return;
      end if;
      %s
    end $body$
  $f$, head, search_tiers);
  execute format($f$
    create or replace function suggest_words(q tsquery, weight real, cap integer)
    returns table (item_id uuid, item_sku text, item_names jsonb, item_score real)
    %s
      %s
    end $body$
  $f$, head, suggest_tiers);
end $do$;
grant execute on function search_words(tsquery, uuid, text, boolean, real, integer) to millwright_app;
grant execute on function suggest_words(tsquery, real, integer) to millwright_app;
