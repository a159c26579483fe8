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
create index search_terms_trgm on search_terms using gin (term gin_trgm_ops);
-- completing the word being typed: the terms starting with it, in byte order
create index search_terms_prefix on search_terms (tenant_id, term text_pattern_ops);
alter table search_terms enable row level security;
alter table search_terms force row level security;
create policy tenant_isolation on search_terms using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on search_terms to millwright_app;

create or replace function item_words(names jsonb) returns setof text language sql immutable as $$
  select distinct w from unnest(to_tsvector('simple',
    coalesce(names->>'en', '') || ' ' || coalesce(names->>'hi', '') || ' ' || coalesce(names->>'bn', '') || ' ' ||
    coalesce(names->>'te', '') || ' ' || coalesce(names->>'ar', ''))) as l(w, p, wt)
  where length(w) between 3 and 40 and w !~ '^[0-9.,/-]+$'
$$;

create or replace function search_terms_keep() returns trigger language plpgsql as $$
begin
  insert into search_terms (tenant_id, term, items)
  select n.tenant_id, w, (array_agg(n.id))[1:300]
    from new_items n cross join lateral item_words(n.names) w
   where n.active
   group by n.tenant_id, w
  on conflict (tenant_id, term) do update
    set items = (select (array_agg(distinct x))[1:300] from unnest(search_terms.items || excluded.items) x)
    where cardinality(search_terms.items) < 300;
  return null;
end $$;
create trigger items_terms_insert after insert on items referencing new table as new_items
  for each statement execute function search_terms_keep();
create trigger items_terms_update after update on items referencing new table as new_items
  for each statement execute function search_terms_keep();

insert into search_terms (tenant_id, term, items)
select i.tenant_id, w, (array_agg(i.id))[1:300] from items i cross join lateral item_words(i.names) w
 where i.active
 group by i.tenant_id, w;

-- Misspellings are corrected against the vocabulary above, so the trigram index over every item's
-- whole text (the costliest index to keep, on every import) is no longer read: it goes, and SKUs
-- get a small trigram index of their own for partial matches ("6205-2RS" in "BRG-6205-2RS").
drop index if exists items_trgm;
alter table items drop column if exists search_text;
create index if not exists items_sku_trgm on items using gin (sku gin_trgm_ops);
