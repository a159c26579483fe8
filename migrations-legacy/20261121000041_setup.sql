-- The setup wizard and the tenant settings page (issue 25): plants carry their state and GSTIN
-- (India's place of supply), and a tenant may number its documents with its own prefixes.
alter table plants
  add column state_code text check (state_code ~ '^[0-9]{2}$'),
  add column gstin text check (gstin ~ '^[0-9]{2}[0-9A-Z]{13}$');

-- A tenant's prefix for a kind of document (PR, PO, GRN); without a row the kind's own. The
-- counter stays the kind's, so a renamed prefix continues the year's sequence.
create table doc_prefixes (
  tenant_id uuid not null references tenants(id),
  doc_type text not null,
  prefix text not null check (prefix ~ '^[A-Z]{1,6}$'),
  primary key (tenant_id, doc_type)
);
alter table doc_prefixes enable row level security;
alter table doc_prefixes force row level security;
create policy tenant_isolation on doc_prefixes using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update, delete on doc_prefixes to millwright_app;

create or replace function draw_document_number(p_tenant uuid, p_prefix text, p_year int) returns text
language plpgsql volatile security invoker as $$
declare
  n int;
  shown text;
begin
  insert into doc_counters (tenant_id, doc_type, year, last_value) values (p_tenant, p_prefix, p_year, 1)
    on conflict (tenant_id, doc_type, year) do update set last_value = doc_counters.last_value + 1
    returning last_value into n;
  select coalesce((select d.prefix from doc_prefixes d where d.tenant_id = p_tenant and d.doc_type = p_prefix), p_prefix)
    into shown;
  return shown || '-' || p_year || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end;
end
$$;
