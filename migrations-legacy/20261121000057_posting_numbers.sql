-- The finance benchmark (issue 26): a document's number drawn inside the statement that writes it.
-- The tenant's counter row stays locked from the draw to the commit, so every statement between
-- them is time every other posting of the tenant waits; drawn in the insert (or update) itself,
-- no round trip of the application's falls inside that window.

-- One rule for the year, as `platform::numbering` states it: the year of the transaction's start
-- in the tenant's time zone.
create function next_document_number(p_tenant uuid, p_prefix text) returns text
language sql volatile security invoker as $$
  select draw_document_number(p_tenant, p_prefix,
           (select extract(year from now() at time zone t.timezone)::int from tenants t where t.id = p_tenant))
$$;
grant execute on function next_document_number(uuid, text) to millwright_app;

-- A posted invoice names its entry before the entry is written (the entry is the last thing of
-- the transaction): the reference is checked at the commit.
alter table supplier_invoices alter constraint supplier_invoices_tenant_id_entry_id_fkey
  deferrable initially deferred;
