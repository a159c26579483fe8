-- The segment search functions read the company's segments one statement at a time and stop
-- at the cap. They were one statement per tier of segments (0; 0–4; 0–8; 0–16; 0–30), of which
-- every branch was started (its index opened and locked) even when the statements before it
-- had found enough: a common word in the million-item company read two segments and started
-- seventeen. Each statement names its segment as a literal, so it reads that segment's partial
-- index, and is planned once per connection (generic), always through the index's bitmap and
-- in one process, as before; only the statements of segments the company owns are run, and only
-- until `cap` matches are found.
do $do$
declare
  search_segments text;
  suggest_segments text;
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
      found bigint := 0;
      n bigint;
    begin
  $h$;
  -- one segment's statement: segment 0 is shared (its index leads with the company), the others
  -- are the company's own when it owns them; `%1$s` the segment, `%2$s` the query
  step text := $s$
      %3$s
        return query %2$s and i.segment = %1$s limit cap - found;
        get diagnostics n = row_count;
        found := found + n;
        if found >= cap or top <= %1$s then return; end if;
      %4$s
  $s$;
  search_sql text := $q$select i.id, i.sku, i.category_id, (weight * (1 + ts_rank(i.search_vector, q)))::real
          from items i where i.search_vector @@ q and i.active
           and (want_category is null or i.category_id in (select category_subtree(want_category)))$q$;
  suggest_sql text := $q$select i.id, i.sku, i.names, (weight * (1 + ts_rank(i.search_vector, q)))::real
          from items i where i.search_vector @@ q and i.active$q$;
begin
  select string_agg(format(step, k, search_sql, g.open, g.close), '' order by k),
         string_agg(format(step, k, suggest_sql, g.open, g.close), '' order by k)
    into search_segments, suggest_segments
    from generate_series(0, 30) k,
         lateral (select case when k > 0 then format('if %s = any(segs) then', k) else '' end as open,
                         case when k > 0 then 'end if;' else '' end as close) g;
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
  $f$, head, search_segments);
  execute format($f$
    create or replace function suggest_words(q tsquery, weight real, cap integer)
    returns table (item_id uuid, item_sku text, item_names jsonb, item_score real)
    %s
      %s
    end $body$
  $f$, head, suggest_segments);
end $do$;
