-- The words of a search as one text-search query: English stems or the words as typed (for
-- Hindi, Arabic and the other scripts the English configuration does not stem), joined only when
-- they differ. The two were always joined, so a query of English words asked the full-text index
-- for each of its words twice ('rubber' & 'motor' | 'rubber' & 'motor'): about 15 % of the
-- index's time for a two-word phrase in a million items.
create function search_query(words text) returns tsquery
language sql immutable parallel safe as $$
  select case when websearch_to_tsquery('english', words) = websearch_to_tsquery('simple', words)
              then websearch_to_tsquery('english', words)
              else websearch_to_tsquery('english', words) || websearch_to_tsquery('simple', words) end
$$;
grant execute on function search_query(text) to millwright_app;
