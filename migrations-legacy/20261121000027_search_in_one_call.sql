-- A text search in one statement: `search_results` ranks the candidates of `search_candidates`,
-- counts them, and answers the page with its items, their stock and the facets, as `search_page`
-- does for the listing without words. The candidates no longer travel to the server and back
-- (each was a row decoded by the server and an id sent again for the facets). Like the functions
-- it calls, it sets the caller's tenant for its own transaction, so row-level security applies to
-- every statement in it.
--
-- The candidates are ranked in blocks of `block` in the order they were found (SKU prefixes,
-- parts of SKUs, words segment by segment, words corrected), by best score within a block, then
-- SKU: a search that reads more candidates for a later page (`cap`) finds the same first ones
-- and ranks them the same way, so the pages before it do not change.
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
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  with found as (
         select c.* from search_candidates(p_tenant, words, want_category, want_plant, want_in_stock, sku_from,
                                           sku_to, sku_part, typed, typo_threshold, cap)
                           with ordinality as c(item_id, item_sku, item_category, item_score, item_kind, n)),
       -- one row per item: its best score, where it was first found, its word matches
       best as (
         select f.item_id, min(f.item_sku) as item_sku, min(f.item_category::text)::uuid as item_category,
                max(f.item_score) as score, min(f.n) - 1 as first_found,
                count(*) filter (where f.item_kind = 2) as word_hits
           from found f group by f.item_id),
       ranked as (
         select b.*, row_number() over (order by b.first_found / block, b.score desc, b.item_sku collate "C") as rank
           from best b),
       page as (select r.item_id, r.score, r.rank from ranked r
                 where r.rank > page_from and r.rank <= page_from + page_size)
  select (select count(*) from ranked)::integer,
         (select coalesce(sum(r.word_hits), 0) from ranked r) >= cap,
         array(select p.item_id from page p order by p.rank),
         array(select p.score from page p order by p.rank),
         -- (their category names are among the categories')
         (select coalesce(json_agg(d), '[]')
            from (select i.id, i.sku, i.names, i.descriptions, i.category_id, i.unit
                    from items i where i.id = any(array(select p.item_id from page p))) d),
         (select coalesce(json_agg(s order by s.plant), '[]')
            from (select sb.item_id, pl.code as plant, sum(sb.on_hand)::text as on_hand,
                         sum(sb.available)::text as available
                    from stock_balances sb
                    join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
                    join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
                   where sb.item_id = any(array(select p.item_id from page p)) and sb.on_hand > 0
                   group by sb.item_id, pl.code) s),
         -- the candidates per category
         (select coalesce(json_agg(c), '[]')
            from (select ic.id, ic.names, (select count(*) from ranked r where r.item_category = ic.id) as items
                    from item_categories ic
                   where ic.id = any(array(select distinct r.item_category from ranked r
                                            where r.item_category is not null))) c),
         -- the candidates with stock available, per plant and in all (`code` null)
         (select coalesce(json_agg(p), '[]')
            from (select pl.code, min(pl.name) as name, count(distinct sb.item_id) as items
                    from stock_balances sb
                    join locations l on l.tenant_id = sb.tenant_id and l.id = sb.location_id
                    join plants pl on pl.tenant_id = l.tenant_id and pl.id = l.plant_id
                   where sb.item_id = any(array(select r.item_id from ranked r)) and sb.available > 0
                   group by grouping sets ((pl.code), ())) p)
    into total, more, page_ids, page_scores, details, stock, categories, plants;
end $$;
grant execute on function search_results(uuid, text, uuid, text, boolean, text, text, text, text[], real, integer,
                                         integer, integer, integer) to millwright_app;

-- Typo correction planned once per connection (it was a SQL function, parsed and planned at
-- every call: 0.8 ms of a misspelled search, now 0.3): the words of `typed` each replaced, when
-- unknown, by the most similar word of the company's item names (pg_trgm similarity ≥
-- `threshold`), joined by spaces; null when no word was corrected. Read through the indexes'
-- bitmaps only, so the similar words are found through the trigram index whatever the size of
-- the company's vocabulary (a plan made once cannot know it).
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
begin
  perform set_config('pg_trgm.similarity_threshold', threshold::text, true);
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
