-- What a search shows besides its ranked candidates, in one call: the page's items with their
-- category names, their stock by plant (on hand, available; quantities as text, read as decimals),
-- the names of the candidates' categories and, over every candidate, the items with stock
-- available per plant and in all (`plant` null). It was four statements, each sent and planned at
-- every search; this function's statements are planned once per connection.
create or replace function search_page(page_ids uuid[], category_ids uuid[], candidate_ids uuid[],
                                       out details json, out stock json, out categories json,
                                       out plants json)
language plpgsql stable
set plan_cache_mode = force_generic_plan set max_parallel_workers_per_gather = 0
as $$
begin
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
grant execute on function search_page(uuid[], uuid[], uuid[]) to millwright_app;
