-- One rule for document numbers (`PR-2026-000123`, `PO-…`, `GRN-…`): the next value of the
-- tenant's gap-free counter for the prefix and year, six digits at least. The service draws PO
-- and GRN numbers with it inside their transactions; the requisition trigger of 0013 at commit.
create function draw_document_number(p_tenant uuid, p_prefix text, p_year int) returns text
language plpgsql volatile security invoker as $$
declare
  n int;
begin
  insert into doc_counters (tenant_id, doc_type, year, last_value) values (p_tenant, p_prefix, p_year, 1)
    on conflict (tenant_id, doc_type, year) do update set last_value = doc_counters.last_value + 1
    returning last_value into n;
  return p_prefix || '-' || p_year || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end;
end
$$;
grant execute on function draw_document_number(uuid, text, int) to millwright_app;

create or replace function assign_requisition_number() returns trigger
language plpgsql security invoker as $$
begin
  update requisitions
     set number = draw_document_number(new.tenant_id, 'PR',
                    (select extract(year from now() at time zone t.timezone)::int from tenants t where t.id = new.tenant_id))
   where tenant_id = new.tenant_id and id = new.id;
  return null;
end
$$;
