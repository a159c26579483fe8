-- `search_page` is now the listing's only (a text search reads its page inside `search_results`,
-- migration 0027): it takes the page's items and answers them with their category names and their
-- stock by plant. The category and plant facets it also computed were no longer read by anyone.
-- Category names are read by key (a join read every company's category rows through the
-- row-level-security check).
drop function if exists search_page(uuid, uuid[], uuid[], uuid[]);
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
