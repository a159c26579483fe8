-- The requisition list without the result cache (issue 24): a page is found in the list's own
-- order by an index-only scan, then only its rows are read. Each index the list pages through
-- carries the whole order (created_at desc, number desc) and the id, so a deep page (OFFSET 4980)
-- skips index entries instead of table rows, and a status or requester filter needs no sort.
drop index requisitions_created;
create index requisitions_created on requisitions (tenant_id, created_at desc, number desc) include (id);
drop index requisitions_status;
create index requisitions_status on requisitions (tenant_id, status, created_at desc, number desc) include (id);
drop index requisitions_requester;
create index requisitions_requester on requisitions (tenant_id, requester_id, created_at desc, number desc) include (id);
