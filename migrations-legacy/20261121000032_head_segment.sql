-- A company's first segment is small: a common word is answered from 16,384 items, not 65,536.
--
-- A search reads the company's segments in turn and stops at the page's cap (100 matches on the
-- first page); each segment's statement first builds the GIN bitmap of every match in that
-- segment and sorts its pages, although it reads only ~100 of them. A word in 3 % of the items
-- ("bearing" in the benchmark's million-item company) made a bitmap of ~2,200 matches on ~2,000
-- pages to read 100. The first segment a company takes (its lowest number, read first) now holds
-- 16,384 items; the others 65,536 as before. Such a word stops in the small one (~550 matches);
-- a rare word reads one segment more, a small one. On the benchmark's database (pgbench, one
-- client): "bearing" 1.2 → 0.8 ms, "seal" 1.5 → 0.8; under 16 clients PostgreSQL's CPU per
-- search 1.23–1.28 → 0.98–1.05 ms.
--
-- Companies that took segments before keep them as they are (a first segment of 65,536).
alter table item_segments add column capacity integer not null default 65536
  check (capacity between 1 and 65536);
alter table item_segments drop constraint item_segments_items_check;
alter table item_segments add constraint item_segments_items_check check (items between 0 and capacity);

-- Where `n` new items of the current company go, in the order they are inserted: the first
-- `open_room` to `open_segment` (the company's last segment with room), then `first_fresh` to
-- `fresh[1]` and 65,536 at a time to the rest of `fresh` (segments taken for the company now;
-- `first_fresh` is 16,384 when the company had none: its first segment); rows beyond those go
-- to segment 0. Counts are recorded as if all `n` are inserted (the caller's transaction inserts
-- them or none).
drop function place_imported_items(bigint);
create function place_imported_items(n bigint, out open_segment smallint, out open_room integer,
                                     out fresh smallint[], out first_fresh integer)
language plpgsql as $$
declare
  t uuid := current_tenant_id();
  present bigint;
  left_over bigint := n;
  k smallint;
  size integer;
begin
  fresh := '{}';
  open_room := 0;
  -- one import of a company places its rows at a time
  perform pg_advisory_xact_lock(hashtextextended('item_segments:' || t::text, 0));
  first_fresh := case when exists (select 1 from item_segments) then 65536 else 16384 end;
  select s.segment, s.capacity - s.items into open_segment, open_room
    from item_segments s where s.items < s.capacity order by s.segment desc limit 1;
  if open_segment is null then
    select count(*) into present from items;
    if present + n <= 65536 then
      return;
    end if;
    open_room := 0;
  end if;
  open_room := least(open_room, left_over);
  if open_room > 0 then
    update item_segments set items = items + open_room where segment = open_segment;
    left_over := left_over - open_room;
  end if;
  -- free segments are claimed by inserting them (the primary key refuses a taken one, whoever has
  -- it); the lowest free first, so a company's first segment has its lowest number
  k := 1;
  size := first_fresh;
  while left_over > 0 and k <= 30 loop
    insert into item_segments (segment, tenant_id, items, capacity) values (k, t, least(left_over, size), size)
    on conflict (segment) do nothing;
    if found then
      fresh := fresh || k;
      left_over := left_over - least(left_over, size);
      size := 65536;
    end if;
    k := k + 1;
  end loop;
end $$;
grant execute on function place_imported_items(bigint) to millwright_app;
