-- A receipt line's units and lot are found by the line: when the requester accepts a receipt
-- (inventory::receipts::accept, line by line) and when a receipt is shown with its UIDs. Neither
-- had an index to use, so each read every UID of the company.
create index uids_receipt_line on uids (tenant_id, receipt_line_id) where receipt_line_id is not null;
