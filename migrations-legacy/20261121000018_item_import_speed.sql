-- A million-item import spent its time in PostgreSQL's one busy core: per row, a foreign-key check
-- of the tenant, two B-trees over the same (tenant, SKU), and the vocabulary trigger splitting
-- every name a second time. Measured on one staged million-row insert (49.2 s before):
--
-- 1. items stop checking their tenant row by foreign key (3.2 s): as for the transactional tables
--    of 0016, no statement can delete a tenant, and row-level security admits a row only for the
--    tenant of the request.
alter table items drop constraint if exists items_tenant_id_fkey;

-- 2. One B-tree over (tenant, SKU) in byte order serves both uniqueness and the SKU-prefix search
--    (`sku ~>=~ … and sku ~<~ …`); it replaces the unique constraint and items_sku_prefix (1.5 s).
create unique index if not exists items_tenant_sku on items (tenant_id, sku text_pattern_ops);
alter table items drop constraint if exists items_tenant_id_sku_key;
drop index if exists items_sku_prefix;

-- 3. A tsvector's lexemes are already distinct: no DISTINCT (a hash table per item) over them.
create or replace function item_words(names jsonb) returns setof text language sql immutable as $$
  select w from unnest(to_tsvector('simple',
    coalesce(names->>'en', '') || ' ' || coalesce(names->>'hi', '') || ' ' || coalesce(names->>'bn', '') || ' ' ||
    coalesce(names->>'te', '') || ' ' || coalesce(names->>'ar', ''))) as l(w, p, wt)
  where length(w) between 3 and 40 and w !~ '^[0-9.,/-]+$'
$$;

-- 4. A bulk import keeps the vocabulary itself (its words are gathered by a second connection
--    while the items are written, then merged in the import's transaction); its insert says so
--    with `set local app.items_terms = 'by_import'` and the statement trigger leaves it alone.
--    Both merge a word's items the same way:
create or replace function search_terms_merge(kept uuid[], added uuid[]) returns uuid[]
language sql immutable parallel safe as $$
  select (array_agg(distinct x))[1:300] from unnest(kept || added) x
$$;
grant execute on function search_terms_merge(uuid[], uuid[]) to millwright_app;

create or replace function search_terms_keep() returns trigger language plpgsql as $$
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
