-- A misspelled search reads the segments once, not twice. Its words were first looked for in
-- every segment of the company (17 statements in the million-item company, finding nothing), then
-- corrected and looked for again. The company's lexemes (every word of its items' full-text
-- vectors, names, descriptions and specifications alike, as stemmed) are now kept, and the first
-- reading is skipped when no item can have all its words. Kept by the items' triggers, imports
-- included (1,000,000 items hold 200 different lexemes in the benchmark; about 2 s of a 40 s
-- import); never removed (an item's words that go away leave a lexeme that only costs a reading).
create table item_lexemes (
  tenant_id uuid not null references tenants(id),
  lexeme text not null,
  primary key (tenant_id, lexeme)
);
alter table item_lexemes enable row level security;
alter table item_lexemes force row level security;
create policy tenant_isolation on item_lexemes using (tenant_id = current_tenant_id())
  with check (tenant_id = current_tenant_id());
grant select, insert on item_lexemes to millwright_app;

create or replace function item_lexemes_keep() returns trigger language plpgsql as $$
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

insert into item_lexemes (tenant_id, lexeme)
select distinct i.tenant_id, l.lexeme from items i cross join lateral unnest(tsvector_to_array(i.search_vector)) l(lexeme);

-- `search_candidates` as in migration 0026, but: the first reading of the words skipped as above,
-- and its settings assigned rather than performed (PL/pgSQL evaluates an expression without a
-- query itself; a PERFORM runs a statement).
create or replace function search_candidates(p_tenant uuid, words text, want_category uuid, want_plant text,
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

