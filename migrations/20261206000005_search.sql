-- Inventory search: the full-text index of the items in segments, the vocabulary of item names
-- for correcting misspelled words, each company's lexemes, and the functions a search runs.
--
-- A text search is one statement, `search_results`, run outside an explicit transaction: it calls
-- `search_candidates` (SKU prefixes, parts of SKUs, words segment by segment through
-- `search_words`, words corrected through `corrected_words`), ranks the candidates and answers the
-- page with its items, their stock and the facets. The listing without words reads its page with
-- `search_page`; the type-ahead reads `suggest_words` in a transaction of the server's.
-- `search_results`, `search_candidates` and `search_page` set the caller's tenant for their own
-- transaction (as create_requisition does), so row-level security applies to every statement in
-- it exactly as in a transaction begun by the server. The statements of these functions are
-- planned once per connection (a generic plan), as planning them at every search cost more than
-- running them, and run in one process (parallel workers would take longer to start than the
-- search, and would not stop at a LIMIT in order).

-- Search indexes that start with the tenant: a word common in every company ("seal") is read from
-- the caller's company only, instead of building a bitmap of every company's items and filtering
-- it (btree_gin puts the tenant's equality into the same GIN scan, which skips through the longer
-- posting list).
create extension if not exists btree_gin;

-- Segments of the full-text index.
--
-- With one GIN over (tenant_id, search_vector), every search in a company of a million items
-- intersected the company's own entry (a million item pointers) with its words' entries: 7.5 ms
-- of the index's 8 ms for "hydraulic bearing", and the whole list of matches was collected
-- although a search ranks at most 300 of them.
--
-- So items carry a segment (items.segment). Segment 0 is shared by every company and indexed by
-- (tenant_id, search_vector). Segments 1–30 each hold the items of one company only, indexed by
-- search_vector alone: no company entry to intersect, and a search reads its company's segments
-- one after the other and stops as soon as it has enough matches. "hydraulic bearing" in the
-- million-item company: 1.8 ms instead of 7.5. Row-level security still decides which rows a
-- search sees.
--
-- A bulk import that takes a company past 65,536 items places its rows in segments of their own
-- (`place_imported_items`); other items, and any once the 30 segments are taken, go to segment 0.
--
-- A company's first segment is small. Each segment's statement first builds the GIN bitmap of
-- every match in that segment and sorts its pages, although it reads only the ~100 matches of a
-- first page: a word in 3 % of the items ("bearing" in the benchmark's million-item company) made
-- a bitmap of ~2,200 matches on ~2,000 pages to read 100. The first segment a company takes (its
-- lowest number, read first) holds 16,384 items, the others 65,536. Such a word stops in the small
-- one (~550 matches); a rare word reads one segment more, a small one. On the benchmark's database
-- (pgbench, one client): "bearing" 1.2 → 0.8 ms, "seal" 1.5 → 0.8; under 16 clients PostgreSQL's
-- CPU per search 1.23–1.28 → 0.98–1.05 ms.
create table item_segments (
  segment smallint primary key check (segment between 1 and 30),
  tenant_id uuid not null references tenants(id),
  items integer not null default 0,
  -- 16,384 for the first segment a company takes, 65,536 for the others (place_imported_items)
  capacity integer not null default 65536 check (capacity between 1 and 65536),
  constraint item_segments_items_check check (items between 0 and capacity)
);
create index item_segments_tenant on item_segments (tenant_id, segment);

create index items_fts_shared on items using gin (tenant_id, search_vector) where segment = 0;
do $$
begin
  for k in 1..30 loop
    execute format('create index items_fts_segment_%s on items using gin (search_vector) where segment = %s', k, k);
  end loop;
end $$;
-- A company with segments of its own has few items in the shared segment (created one by one):
-- they are read through this index rather than through the shared full-text index, whose word
-- entries list the items of every small company (a million in the benchmark): 0.05–0.09 ms for
-- 8 items, 0.01 this way.
create index items_shared_by_company on items (tenant_id) where segment = 0;

-- Parts of SKUs ("6205-2RS" in "BRG-6205-2RS") are found through a small trigram index of their
-- own; misspelled words are corrected against the vocabulary (search_terms), so there is no
-- trigram index over the whole text of every item (it would be the costliest index to keep, on
-- every import). The SKU index stays global, not led by the tenant: it is read only when prefixes
-- found little, and every extra GIN entry slows the million-row import.
create index items_sku_trgm on items using gin (sku gin_trgm_ops);

-- The words of every item name, per tenant, for correcting misspelled search words: a typo is
-- matched against this small vocabulary (pg_trgm similarity) and the corrected words are then
-- searched with the full-text index, instead of comparing the typo with the text of every item.
-- Kept by statement-level triggers, so a bulk import adds its words in one set-based statement.
create table search_terms (
  tenant_id uuid not null references tenants(id),
  term text not null,
  -- up to 300 items named with the word: what type-ahead (the first ten) and the search for a
  -- common word rank, read by key instead of collecting every item with the word from the
  -- full-text index
  items uuid[] not null default '{}',
  primary key (tenant_id, term)
);
-- completing the word being typed: the terms starting with it, in byte order
create index search_terms_prefix on search_terms (tenant_id, term text_pattern_ops);
create index search_terms_tenant_trgm on search_terms using gin (tenant_id, term gin_trgm_ops);

-- A company's lexemes: every word of its items' full-text vectors (names, descriptions and
-- specifications alike, as stemmed), so that a search skips reading the segments for words no
-- item can have all of (a misspelled search would otherwise read every segment of the company,
-- 17 statements in the million-item company finding nothing, before being corrected). Kept by
-- the items' triggers, imports included (1,000,000 items hold 200 different lexemes in the
-- benchmark; about 2 s of a 40 s import); never removed (an item's words that go away leave a
-- lexeme that only costs a reading).
create table item_lexemes (
  tenant_id uuid not null references tenants(id),
  lexeme text not null,
  primary key (tenant_id, lexeme)
);

do $$
declare t text;
begin
  foreach t in array array['item_segments','search_terms','item_lexemes'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
end $$;
grant select, insert, update on item_segments, search_terms to millwright_app;
grant select, insert on item_lexemes to millwright_app;

-- The words of item names kept in the vocabulary. A tsvector's lexemes are already distinct: no
-- DISTINCT (a hash table per item) over them.
create function item_words(names jsonb) returns setof text language sql immutable as $$
  select w from unnest(to_tsvector('simple',
    coalesce(names->>'en', '') || ' ' || coalesce(names->>'hi', '') || ' ' || coalesce(names->>'bn', '') || ' ' ||
    coalesce(names->>'te', '') || ' ' || coalesce(names->>'ar', ''))) as l(w, p, wt)
  where length(w) between 3 and 40 and w !~ '^[0-9.,/-]+$'
$$;

-- A bulk import keeps the vocabulary itself (its words are gathered by a second connection while
-- the items are written, then merged in the import's transaction); its insert says so with
-- `set local app.items_terms = 'by_import'` and the statement trigger leaves it alone. Both merge
-- a word's items the same way:
create function search_terms_merge(kept uuid[], added uuid[]) returns uuid[]
language sql immutable parallel safe as $$
  select (array_agg(distinct x))[1:300] from unnest(kept || added) x
$$;
grant execute on function search_terms_merge(uuid[], uuid[]) to millwright_app;

create function search_terms_keep() returns trigger language plpgsql as $$
begin
  if current_setting('app.items_terms', true) = 'by_import' then
    return null;
  end if;
  insert into search_terms (tenant_id, term, items)
  select n.tenant_id, w, (array_agg(n.id))[1:300]
    from new_items n cross join lateral item_words(n.names) w
   where n.active
   group by n.tenant_id, w
  on conflict (tenant_id, term) do update
    set items = search_terms_merge(search_terms.items, excluded.items)
    where cardinality(search_terms.items) < 300;
  return null;
end $$;
create trigger items_terms_insert after insert on items referencing new table as new_items
  for each statement execute function search_terms_keep();
create trigger items_terms_update after update on items referencing new table as new_items
  for each statement execute function search_terms_keep();

create function item_lexemes_keep() returns trigger language plpgsql as $$
begin
  insert into item_lexemes (tenant_id, lexeme)
  select distinct n.tenant_id, l.lexeme
    from new_items n cross join lateral unnest(tsvector_to_array(n.search_vector)) l(lexeme)
  on conflict do nothing;
  return null;
end $$;
create trigger items_lexemes_insert after insert on items referencing new table as new_items
  for each statement execute function item_lexemes_keep();
create trigger items_lexemes_update after update on items referencing new table as new_items
  for each statement execute function item_lexemes_keep();

-- Where `n` new items of the current company go, in the order they are inserted: the first
-- `open_room` to `open_segment` (the company's last segment with room), then `first_fresh` to
-- `fresh[1]` and 65,536 at a time to the rest of `fresh` (segments taken for the company now;
-- `first_fresh` is 16,384 when the company had none: its first segment); rows beyond those go
-- to segment 0. Counts are recorded as if all `n` are inserted (the caller's transaction inserts
-- them or none).
create function place_imported_items(n bigint, out open_segment smallint, out open_room integer,
                                     out fresh smallint[], out first_fresh integer)
language plpgsql as $$
declare
  t uuid := current_tenant_id();
  present bigint;
  left_over bigint := n;
  k smallint;
  size integer;
begin
  fresh := '{}';
  open_room := 0;
  -- one import of a company places its rows at a time
  perform pg_advisory_xact_lock(hashtextextended('item_segments:' || t::text, 0));
  first_fresh := case when exists (select 1 from item_segments) then 65536 else 16384 end;
  select s.segment, s.capacity - s.items into open_segment, open_room
    from item_segments s where s.items < s.capacity order by s.segment desc limit 1;
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
  -- free segments are claimed by inserting them (the primary key refuses a taken one, whoever has
  -- it); the lowest free first, so a company's first segment has its lowest number
  k := 1;
  size := first_fresh;
  while left_over > 0 and k <= 30 loop
    insert into item_segments (segment, tenant_id, items, capacity) values (k, t, least(left_over, size), size)
    on conflict (segment) do nothing;
    if found then
      fresh := fresh || k;
      left_over := left_over - least(left_over, size);
      size := 65536;
    end if;
    k := k + 1;
  end loop;
end $$;
grant execute on function place_imported_items(bigint) to millwright_app;

-- The filters of a search: the items of a category and the categories under it, and whether an
-- item has stock available (at a plant, when given).
create function category_subtree(root uuid) returns setof uuid language sql stable as $$
  with recursive sub as (select id from item_categories where id = root
                         union all select c.id from item_categories c join sub on c.parent_id = sub.id)
  select id from sub
$$;
create function item_in_stock(item uuid, at_plant text) returns boolean language sql stable as $$
  select exists(select 1 from stock_balances sb
                  join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
                  join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
                 where sb.item_id = item and sb.available > 0 and (at_plant is null or pl.code = at_plant))
$$;
grant execute on function category_subtree(uuid) to millwright_app;
grant execute on function item_in_stock(uuid, text) to millwright_app;

-- The words of a search as one text-search query: English stems or the words as typed (for
-- Hindi, Arabic and the other scripts the English configuration does not stem), joined only when
-- they differ. Always joined, a query of English words would ask the full-text index for each of
-- its words twice ('rubber' & 'motor' | 'rubber' & 'motor'): about 15 % of the index's time for a
-- two-word phrase in a million items.
create function search_query(words text) returns tsquery
language sql immutable parallel safe as $$
  select case when websearch_to_tsquery('english', words) = websearch_to_tsquery('simple', words)
              then websearch_to_tsquery('english', words)
              else websearch_to_tsquery('english', words) || websearch_to_tsquery('simple', words) end
$$;
grant execute on function search_query(text) to millwright_app;

-- The words of `typed` (lower-cased, as a search splits them), each unknown one replaced by the
-- most similar word of the company's item names (pg_trgm similarity ≥ `threshold`), joined by
-- spaces; null when no word was corrected. Search and type-ahead correct typos with it. In
-- PL/pgSQL so that it is planned once per connection (a SQL function is parsed and planned at
-- every call: 0.8 ms of a misspelled search, this way 0.3), and read through the indexes' bitmaps
-- only, so the similar words are found through the trigram index whatever the size of the
-- company's vocabulary (a plan made once cannot know it). Its setting is assigned rather than
-- performed: PL/pgSQL evaluates an expression without a query itself; a PERFORM runs a statement.
create function corrected_words(typed text[], threshold real) returns text
language plpgsql volatile
set plan_cache_mode = force_generic_plan set enable_seqscan = off set enable_indexscan = off
set enable_indexonlyscan = off set enable_bitmapscan = on
as $$
declare
  w text;
  fix text;
  fixed text[] := '{}';
  changed boolean := false;
  done text;
begin
  done := set_config('pg_trgm.similarity_threshold', threshold::text, true);
  foreach w in array typed loop
    fix := null;
    if not exists(select 1 from search_terms t where t.term = w) then
      select t.term into fix from search_terms t where t.term % w
       order by similarity(t.term, w) desc, t.term limit 1;
    end if;
    fixed := fixed || coalesce(fix, w);
    changed := changed or fix is not null;
  end loop;
  return case when changed then array_to_string(fixed, ' ') end;
end $$;
grant execute on function corrected_words(text[], real) to millwright_app;

-- The items matching a text-search query, segment by segment, until `cap` are found:
-- `search_words` with the filters of a search (category and the ones under it, stock available,
-- at a plant), `suggest_words` for the type-ahead.
--
-- They read the shared segment 0, then the company's own segments one statement at a time, and
-- stop at the cap: only the statements of segments the company owns are run, and only until `cap`
-- matches are found. (Starting a branch of a statement opens and locks its segment's index even
-- when the branch is not read: one statement over several segments, a UNION ALL under a LIMIT,
-- started seventeen for a common word in the million-item company, which needs two.) Each
-- statement names its segment as a literal, so it reads that segment's partial index; it is
-- planned once per connection (generic) and always through the index's bitmap (a LIMIT would
-- otherwise tempt the planner to walk another index of the company's items).
--
-- `search_words` reads the category's subtree once per call (not a sub-plan in each segment's
-- statement, started in every statement whether a category was asked or not: a word matching
-- nothing in the million-item company, 0.27 → 0.23 ms), and reads a company's few items of the
-- shared segment through items_shared_by_company when the company has segments of its own.
--
-- The statements of segments 1–30 differ only in their segment: they are written out from one
-- template (`step`) when the functions are created.
do $do$
declare
  -- one of the company's own segments: `%1$s` the segment, `%2$s` the query
  step text := $s$
      if %1$s = any(segs) then
        return query %2$s and i.segment = %1$s limit cap - found;
        get diagnostics n = row_count;
        found := found + n;
        if found >= cap or top <= %1$s then return; end if;
      end if;
  $s$;
  search_sql text := $q$select i.id, i.sku, i.category_id, (weight * (1 + ts_rank(i.search_vector, q)))::real
          from items i where i.search_vector @@ q and i.active
           and (want_category is null or i.category_id = any(subtree))$q$;
  suggest_sql text := $q$select i.id, i.sku, i.names, (weight * (1 + ts_rank(i.search_vector, q)))::real
          from items i where i.search_vector @@ q and i.active$q$;
  search_segments text;
  suggest_segments text;
begin
  select string_agg(format(step, k, search_sql), '' order by k),
         string_agg(format(step, k, suggest_sql), '' order by k)
    into search_segments, suggest_segments
    from generate_series(1, 30) k;
  execute format($f$
    create function search_words(q tsquery, want_category uuid, want_plant text, want_in_stock boolean,
                                 weight real, cap integer)
    returns table (item_id uuid, item_sku text, item_category uuid, item_score real)
    language plpgsql stable
    set plan_cache_mode = force_generic_plan set enable_seqscan = off set enable_indexscan = off
    set enable_bitmapscan = on set max_parallel_workers_per_gather = 0
    as $body$
    declare
      segs smallint[];
      top smallint;
      few_shared boolean;
      -- the category asked for and the categories under it
      subtree uuid[] := case when want_category is not null then array(select category_subtree(want_category)) end;
      found bigint := 0;
      n bigint;
      done text;
    begin
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
             and (want_category is null or i.category_id = any(subtree))
           limit cap;
        return;
      end if;
      -- the company's segments, its highest, and whether it has few items in the shared segment
      select coalesce(array_agg(s.segment), '{}'), coalesce(max(s.segment), 0),
             max(s.segment) > 0 and (select count(*) < 200 from (select from items i where i.segment = 0 limit 200) x)
        into segs, top, few_shared from item_segments s;
      -- the shared segment 0 (its full-text index leads with the company)
      if few_shared then
        -- (planned, once, through the company index of the shared segment)
        done := set_config('enable_bitmapscan', 'off', true) || set_config('enable_indexscan', 'on', true);
        return query %1$s and i.segment = 0 limit cap;
        done := set_config('enable_bitmapscan', 'on', true) || set_config('enable_indexscan', 'off', true);
      else
        return query %1$s and i.segment = 0 limit cap;
      end if;
      get diagnostics n = row_count;
      found := found + n;
      if found >= cap or top = 0 then return; end if;
      %2$s
    end $body$
  $f$, search_sql, search_segments);
  execute format($f$
    create function suggest_words(q tsquery, weight real, cap integer)
    returns table (item_id uuid, item_sku text, item_names jsonb, item_score real)
    language plpgsql stable
    set plan_cache_mode = force_generic_plan set enable_seqscan = off set enable_indexscan = off
    set enable_bitmapscan = on set max_parallel_workers_per_gather = 0
    as $body$
    declare
      segs smallint[] := array(select segment from item_segments);
      top smallint := coalesce((select max(s) from unnest(segs) s), 0);
      found bigint := 0;
      n bigint;
    begin
      -- the shared segment 0 (its full-text index leads with the company)
        return query %1$s and i.segment = 0 limit cap - found;
        get diagnostics n = row_count;
        found := found + n;
        if found >= cap or top <= 0 then return; end if;
      %2$s
    end $body$
  $f$, suggest_sql, suggest_segments);
end $do$;
grant execute on function search_words(tsquery, uuid, text, boolean, real, integer) to millwright_app;
grant execute on function suggest_words(tsquery, real, integer) to millwright_app;

-- The candidates of a text search, by kind: 0 SKU prefix (score 3, in SKU order, read through
-- the index in order), 1 part of a SKU (2.5, through the SKU trigram index, when prefixes found
-- fewer than 20), 2 words (1 + rank, at most `cap`, `search_words`), 3 words corrected (½ (1 +
-- rank), when everything before found fewer than 20 and a word could be corrected).
--
-- The segments are read for the words only when some item may have them all (the company's
-- lexemes, item_lexemes): a misspelled search then reads the segments once, for its corrected
-- words. Settings are assigned rather than performed (PL/pgSQL evaluates an expression without a
-- query itself; a PERFORM runs a statement).
create function search_candidates(p_tenant uuid, words text, want_category uuid, want_plant text,
                                  want_in_stock boolean, sku_from text, sku_to text, sku_part text,
                                  typed text[], typo_threshold real, cap integer)
returns table (item_id uuid, item_sku text, item_category uuid, item_score real, item_kind smallint)
language plpgsql volatile as $$
declare
  found_count bigint := 0;
  n bigint;
  fixed text;
  may_match boolean;
  done text;
begin
  done := set_config('app.tenant_id', p_tenant::text, true)
          || set_config('plan_cache_mode', 'force_generic_plan', true)
          || set_config('max_parallel_workers_per_gather', '0', true);
  if sku_from is not null then
    done := set_config('enable_seqscan', 'off', true) || set_config('enable_bitmapscan', 'off', true);
    return query
      select i.id, i.sku, i.category_id, 3::real, 0::smallint from items i
       where i.sku ~>=~ sku_from and i.sku ~<~ sku_to and i.active
         and (want_category is null or i.category_id in (select category_subtree(want_category)))
         and (not want_in_stock or item_in_stock(i.id, want_plant))
       order by i.sku using ~<~ limit 100;
    get diagnostics n = row_count;
    found_count := n;
    done := set_config('enable_seqscan', 'on', true) || set_config('enable_bitmapscan', 'on', true);
  end if;
  if found_count < 20 and sku_part is not null then
    done := set_config('enable_seqscan', 'off', true) || set_config('enable_indexscan', 'off', true);
    return query
      select i.id, i.sku, i.category_id, 2.5::real, 1::smallint from items i
       where i.sku like sku_part and i.active
         and (want_category is null or i.category_id in (select category_subtree(want_category)))
         and (not want_in_stock or item_in_stock(i.id, want_plant))
       limit 100;
    get diagnostics n = row_count;
    found_count := found_count + n;
    done := set_config('enable_seqscan', 'on', true) || set_config('enable_indexscan', 'on', true);
  end if;
  -- the segments are read for the words only when some item may have them all (one of the two
  -- readings, English stems or the words as typed, has each of its words among the company's
  -- lexemes; a reading with OR or NOT is always read)
  select bool_or(s.q::text ~ '[|!]'
                 or cardinality(s.lexemes) = (select count(*) from item_lexemes l where l.lexeme = any(s.lexemes)))
    into may_match
    from (select websearch_to_tsquery(c, words) as q, tsvector_to_array(to_tsvector(c, words)) as lexemes
            from unnest('{english,simple}'::regconfig[]) c) s;
  if may_match then
    return query
      select w.item_id, w.item_sku, w.item_category, w.item_score, 2::smallint
        from search_words(search_query(words), want_category, want_plant, want_in_stock, 1, cap) w;
    get diagnostics n = row_count;
    found_count := found_count + n;
  end if;
  if found_count < 20 and cardinality(typed) > 0 then
    fixed := corrected_words(typed, typo_threshold);
    if fixed is not null then
      return query
        select w.item_id, w.item_sku, w.item_category, w.item_score, 3::smallint
          from search_words(search_query(fixed), want_category, want_plant, want_in_stock, 0.5, cap) w;
    end if;
  end if;
end $$;
grant execute on function search_candidates(uuid, text, uuid, text, boolean, text, text, text, text[], real, integer)
  to millwright_app;

-- The listing's page (no words): the page's items with their category names, and their stock by
-- plant (on hand, available; quantities as text, read as decimals). Category names are read by key
-- (a join would read every company's category rows through the row-level-security check).
create function search_page(p_tenant uuid, page_ids uuid[], out details json, out stock json)
language plpgsql volatile
set plan_cache_mode = force_generic_plan set max_parallel_workers_per_gather = 0 set enable_seqscan = off
as $$
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  select coalesce(json_agg(d), '[]') into details
    from (select i.id, i.sku, i.names, i.descriptions,
                 (select c.names from item_categories c where c.id = i.category_id) as category_names, i.unit
            from items i where i.id = any(page_ids)) d;
  select coalesce(json_agg(s order by s.plant), '[]') into stock
    from (select sb.item_id, pl.code as plant, sum(sb.on_hand)::text as on_hand,
                 sum(sb.available)::text as available
            from stock_balances sb
            join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
            join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
           where sb.item_id = any(page_ids) and sb.on_hand > 0
           group by sb.item_id, pl.code) s;
end $$;
grant execute on function search_page(uuid, uuid[]) to millwright_app;

-- A text search in one statement: `search_results` ranks the candidates of `search_candidates`,
-- counts them, and answers the page with its items, their stock and the facets. The candidates do
-- not travel to the server and back (each would be a row decoded by the server and an id sent
-- again for the facets).
--
-- The candidates are ranked in blocks of `block` in the order they were found (SKU prefixes,
-- parts of SKUs, words segment by segment, words corrected), by best score within a block, then
-- SKU: a search that reads more candidates for a later page (`cap`) finds the same first ones
-- and ranks them the same way, so the pages before it do not change.
--
-- They are ranked in one statement into arrays, in rank order (a subquery sorted by rank feeds
-- the aggregates, which keep the order of the rows they are given): ordered aggregates would each
-- sort the candidates again (0.13 ms of a common word's 0.95), and ranked rows kept in a CTE read
-- by six sub-plans would all be started at every search. The page is a slice of those arrays; its
-- items, their stock with the plant facet (one read of the candidates' stock for both), and the
-- category facet are read in one statement. Category facet rows are read by key (a join would
-- read the company's categories through the row-level-security filter, one uuid parse per row).
-- (Profiling copy, one client, 175 queries: 1.03 → 0.96 ms per search; 16 clients: 1,310 → 1,430
-- searches/s.)
--
-- The candidates are grouped by item, SKU and category rather than by item with the least SKU and
-- category as aggregates: an item's SKU and category are the same in every row that found it, and
-- the category's aggregate would cast each uuid to text and back (uuid has no min); pgbench on the
-- benchmark's database, one client, 16 queries alternating: 15.6–16.1 → 15.1–15.7 ms.
create function search_results(p_tenant uuid, words text, want_category uuid, want_plant text,
                               want_in_stock boolean, sku_from text, sku_to text, sku_part text,
                               typed text[], typo_threshold real, cap integer,
                               block integer, page_from integer, page_size integer,
                               out total integer, out more boolean, out page_ids uuid[],
                               out page_scores real[], out details json, out stock json,
                               out categories json, out plants json)
language plpgsql volatile
set plan_cache_mode = force_generic_plan set max_parallel_workers_per_gather = 0 set enable_seqscan = off
as $$
declare
  ids uuid[];
  scores real[];
  cats uuid[];
  done text;
begin
  done := set_config('app.tenant_id', p_tenant::text, true);
  -- the candidates ranked, as arrays in rank order (aggregates keep the order of the rows they
  -- are given)
  select count(*)::integer, coalesce(sum(r.word_hits), 0) >= cap,
         array_agg(r.item_id), array_agg(r.score), array_agg(r.item_category)
    into total, more, ids, scores, cats
    from (-- one row per item (its SKU and category are the same whichever statement found it):
          -- its best score, where it was first found, its word matches
          select f.item_id, f.item_sku, f.item_category,
                 max(f.item_score) as score, min(f.n) - 1 as first_found,
                 count(*) filter (where f.item_kind = 2) as word_hits
            from search_candidates(p_tenant, words, want_category, want_plant, want_in_stock, sku_from,
                                   sku_to, sku_part, typed, typo_threshold, cap)
                 with ordinality as f(item_id, item_sku, item_category, item_score, item_kind, n)
           group by f.item_id, f.item_sku, f.item_category
           order by (min(f.n) - 1) / block, max(f.item_score) desc, f.item_sku collate "C") r;
  page_ids := coalesce(ids[page_from + 1 : page_from + page_size], '{}');
  page_scores := coalesce(scores[page_from + 1 : page_from + page_size], '{}');
  -- the page's items; the candidates' stock: the page's by plant, and the candidates with stock
  -- available per plant and in all (`code` null); the candidates per category
  with s as (select sb.item_id, pl.code, pl.name, sb.on_hand, sb.available
               from stock_balances sb
               join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
               join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
              where sb.item_id = any(ids) and sb.on_hand > 0)
  select (select coalesce(json_agg(d), '[]')
            from (select i.id, i.sku, i.names, i.descriptions, i.category_id, i.unit
                    from items i where i.id = any(page_ids)) d),
         (select coalesce(json_agg(x order by x.plant), '[]')
            from (select s.item_id, s.code as plant, sum(s.on_hand)::text as on_hand, sum(s.available)::text as available
                    from s where s.item_id = any(page_ids) group by s.item_id, s.code) x),
         (select coalesce(json_agg(p), '[]')
            from (select s.code, min(s.name) as name, count(distinct s.item_id) as items
                    from s where s.available > 0 group by grouping sets ((s.code), ())) p),
         (select coalesce(json_agg(c), '[]')
            from (select ic.id, ic.names, (select count(*) from unnest(cats) u(cat) where u.cat = ic.id) as items
                    from item_categories ic where ic.id = any(cats)) c)
    into details, stock, plants, categories;
end $$;
grant execute on function search_results(uuid, text, uuid, text, boolean, text, text, text, text[], real, integer,
                                         integer, integer, integer) to millwright_app;
