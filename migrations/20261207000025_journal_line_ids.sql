-- The finance benchmark (issue 26): every posting writes a few journal lines into an index of
-- millions. journal_lines_entry (tenant_id, entry_id) repeated the leading columns of the unique
-- index on (tenant_id, entry_id, line_no), which answers every lookup of an entry's lines: it
-- only cost an insert per line.
drop index journal_lines_entry;
