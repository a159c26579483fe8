-- The candidates are grouped by item, SKU and category rather than by item with the least SKU and
-- category as aggregates: an item's SKU and category are the same in every row that found it, and
-- the category's aggregate cast each uuid to text and back (uuid has no min). Same results for the
-- benchmark's 175 distinct queries, first and second page (compared row by row); pgbench on the
-- benchmark's database, one client, 16 queries alternating: 15.6–16.1 → 15.1–15.7 ms.
-- `search_results` as in migration 0030 otherwise.
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
