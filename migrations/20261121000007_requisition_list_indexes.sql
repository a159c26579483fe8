-- The requisition list at 100,000 rows per tenant (bench/procurement): newest first by index, and
-- the text search reaching number, notes, line descriptions through trigram indexes.
create index requisitions_created on requisitions (tenant_id, created_at desc, number desc);
create index requisitions_number_trgm on requisitions using gin (number gin_trgm_ops);
create index requisitions_notes_trgm on requisitions using gin (notes gin_trgm_ops);
create index requisition_lines_description_trgm on requisition_lines using gin (description gin_trgm_ops);
