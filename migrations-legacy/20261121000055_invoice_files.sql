-- The supplier's own invoice document (issue 26, point 4): supplier invoices keep their files in
-- the shared attachments table under the document type 'supplier_invoice', as requisitions do.
-- (supplier_invoices.file_id stays unused: an invoice may carry several files, the scan and,
-- say, its delivery challan, and the attachments table already ties them to it.)
alter table attachments drop constraint attachments_doc_type_check;
alter table attachments add constraint attachments_doc_type_check
  check (doc_type in ('requisition','purchase_order','supplier_invoice'));
