-- A text search's ranking and page with less machinery (profiling copy, one client, 175 queries:
-- 1.03 → 0.96 ms per search; 16 clients: 1,310 → 1,430 searches/s, PostgreSQL CPU per search
-- 1.18 → 1.07 ms).
--
-- `search_results` ranks the candidates in one statement into arrays, in rank order (a subquery
-- sorted by rank feeds the aggregates): its three ordered aggregates each sorted the candidates
-- again (0.13 ms of a common word's 0.95), and the ranked rows were a CTE read by six sub-plans,
-- all started at every search. The page is a slice of those arrays; its items, their stock with
-- the plant facet (one read of the candidates' stock for both), and the category facet are read
-- in one statement. Category facet rows are read by key (the join read the company's categories
-- through the row-level-security filter, one uuid parse per row); the counts are over the
-- candidates' categories as before.
--
-- `search_words` filters a category by the category subtree read once per call, not by a
-- sub-plan in each segment's statement (started in every statement whether a category was asked
-- or not): a word matching nothing in the million-item company, 0.27 → 0.23 ms.
create or replace function search_results(p_tenant uuid, words text, want_category uuid, want_plant text,
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
    from (-- one row per item: its best score, where it was first found, its word matches
          select f.item_id, min(f.item_sku) as item_sku, min(f.item_category::text)::uuid as item_category,
                 max(f.item_score) as score, min(f.n) - 1 as first_found,
                 count(*) filter (where f.item_kind = 2) as word_hits
            from search_candidates(p_tenant, words, want_category, want_plant, want_in_stock, sku_from,
                                   sku_to, sku_part, typed, typo_threshold, cap)
                 with ordinality as f(item_id, item_sku, item_category, item_score, item_kind, n)
           group by f.item_id
           order by (min(f.n) - 1) / block, max(f.item_score) desc, min(f.item_sku) collate "C") r;
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

-- `search_words` as generated by migration 0028, but: the category filter is the category's subtree
-- read once per call; the company's segments and its highest in one statement; and a company with
-- segments of its own, whose items in the shared segment are few (created one by one), has those
-- read through a company index of the shared segment rather than through the shared full-text
-- index, whose word entries list the items of every small company (a million in the benchmark):
-- 0.05–0.09 ms for 8 items, now 0.01.
create index if not exists items_shared_by_company on items (tenant_id) where segment = 0;

do $do$
declare
  search_segments text;
  -- one segment's statement: the company's own segments when it owns them; `%1$s` the segment,
  -- `%2$s` the query
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
begin
  select string_agg(format(step, k, search_sql), '' order by k)
    into search_segments
    from generate_series(1, 30) k;
  execute format($f$
    create or replace function search_words(q tsquery, want_category uuid, want_plant text, want_in_stock boolean,
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
end $do$;

-- A setting assigned rather than performed (PL/pgSQL evaluates an expression without a query
-- itself; a PERFORM runs a statement): `corrected_words` as in migration 0027 otherwise (and
-- `search_candidates` in migration 0031).
create or replace function corrected_words(typed text[], threshold real) returns text
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
