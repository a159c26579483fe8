-- A text search in two statements, each its own transaction: `search_candidates` (SKU prefixes,
-- parts of SKUs, words, words corrected) and `search_page` (the page's items, their stock, the
-- facets). It was ten round trips (BEGIN and settings, index settings, SKU prefixes, settings,
-- SKU parts, words, correction, words again, four statements for the page, COMMIT), most of them
-- planned at every search. Each function sets the caller's tenant for its own transaction (as
-- create_requisition does), so row-level security applies to every statement in it exactly as in
-- a transaction begun by the server; their statements are planned once per connection.

-- The words of `typed` (lower-cased, as a search splits them), each unknown one replaced by the
-- most similar word of the company's item names (pg_trgm similarity ≥ `threshold`), joined by
-- spaces; null when no word was corrected. Search and type-ahead correct typos with it.
create or replace function corrected_words(typed text[], threshold real) returns text
language sql volatile as $$
  select case when bool_or(x.fix is not null) then string_agg(coalesce(x.fix, x.w), ' ' order by x.n) end
    from (select u.w, u.n,
                 case when exists(select 1 from search_terms t where t.term = u.w) then null
                      else (select t.term from search_terms t where t.term % u.w
                             order by similarity(t.term, u.w) desc, t.term limit 1) end as fix
            from (select set_config('pg_trgm.similarity_threshold', threshold::text, true)) s,
                 unnest(typed) with ordinality u(w, n)) x
$$;
grant execute on function corrected_words(text[], real) to millwright_app;

-- The candidates of a text search, by kind: 0 SKU prefix (score 3, in SKU order, read through
-- the index in order), 1 part of a SKU (2.5, through the SKU trigram index, when prefixes found
-- fewer than 20), 2 words (1 + rank, at most `cap`, `search_words`), 3 words corrected (½ (1 +
-- rank), when everything before found fewer than 20 and a word could be corrected).
create or replace function search_candidates(p_tenant uuid, words text, want_category uuid, want_plant text,
                                             want_in_stock boolean, sku_from text, sku_to text, sku_part text,
                                             typed text[], typo_threshold real, cap integer)
returns table (item_id uuid, item_sku text, item_category uuid, item_score real, item_kind smallint)
language plpgsql volatile as $$
declare
  found_count bigint := 0;
  n bigint;
  fixed text;
begin
  perform set_config('app.tenant_id', p_tenant::text, true),
          set_config('plan_cache_mode', 'force_generic_plan', true),
          set_config('max_parallel_workers_per_gather', '0', true);
  if sku_from is not null then
    perform set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true);
    return query
      select i.id, i.sku, i.category_id, 3::real, 0::smallint from items i
       where i.sku ~>=~ sku_from and i.sku ~<~ sku_to and i.active
         and (want_category is null or i.category_id in (select category_subtree(want_category)))
         and (not want_in_stock or item_in_stock(i.id, want_plant))
       order by i.sku using ~<~ limit 100;
    get diagnostics n = row_count;
    found_count := n;
    perform set_config('enable_seqscan', 'on', true), set_config('enable_bitmapscan', 'on', true);
  end if;
  if found_count < 20 and sku_part is not null then
    perform set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true);
    return query
      select i.id, i.sku, i.category_id, 2.5::real, 1::smallint from items i
       where i.sku like sku_part and i.active
         and (want_category is null or i.category_id in (select category_subtree(want_category)))
         and (not want_in_stock or item_in_stock(i.id, want_plant))
       limit 100;
    get diagnostics n = row_count;
    found_count := found_count + n;
    perform set_config('enable_seqscan', 'on', true), set_config('enable_indexscan', 'on', true);
  end if;
  return query
    select w.item_id, w.item_sku, w.item_category, w.item_score, 2::smallint
      from search_words(search_query(words), want_category, want_plant, want_in_stock, 1, cap) w;
  get diagnostics n = row_count;
  found_count := found_count + n;
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

-- What a search shows besides its ranked candidates: the page's items with their category names,
-- their stock by plant (on hand, available; quantities as text, read as decimals), the names of
-- the candidates' categories and, over every candidate, the items with stock available per plant
-- and in all (`code` null).
create or replace function search_page(p_tenant uuid, page_ids uuid[], category_ids uuid[], candidate_ids uuid[],
                                       out details json, out stock json, out categories json,
                                       out plants json)
language plpgsql volatile
set plan_cache_mode = force_generic_plan set max_parallel_workers_per_gather = 0
as $$
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  select coalesce(json_agg(d), '[]') into details
    from (select i.id, i.sku, i.names, i.descriptions, c.names as category_names, i.unit
            from items i left join item_categories c on c.tenant_id = i.tenant_id and c.id = i.category_id
           where i.id = any(page_ids)) d;
  select coalesce(json_agg(s order by s.plant), '[]') into stock
    from (select sb.item_id, pl.code as plant, sum(sb.on_hand)::text as on_hand,
                 sum(sb.available)::text as available
            from stock_balances sb
            join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
            join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
           where sb.item_id = any(page_ids) and sb.on_hand > 0
           group by sb.item_id, pl.code) s;
  select coalesce(json_agg(c), '[]') into categories
    from (select id, names from item_categories where id = any(category_ids)) c;
  select coalesce(json_agg(p), '[]') into plants
    from (select pl.code, min(pl.name) as name, count(distinct sb.item_id) as items
            from stock_balances sb
            join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
            join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
           where sb.item_id = any(candidate_ids) and sb.available > 0
           group by grouping sets ((pl.code), ())) p;
end $$;
grant execute on function search_page(uuid, uuid[], uuid[], uuid[]) to millwright_app;
