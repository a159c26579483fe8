-- Exact requisition counts per tenant, status and requester, kept by a trigger, so that the list's
-- total for someone who sees everything is a sum over a few rows instead of a scan of 100,000.
create table requisition_counts (
  tenant_id uuid not null references tenants(id),
  status text not null,
  requester_id uuid not null,
  n bigint not null default 0,
  primary key (tenant_id, status, requester_id)
);

create or replace function requisition_counts_keep() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update requisition_counts set n = n - 1
     where tenant_id = old.tenant_id and status = old.status and requester_id = old.requester_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into requisition_counts (tenant_id, status, requester_id, n) values (new.tenant_id, new.status, new.requester_id, 1)
    on conflict (tenant_id, status, requester_id) do update set n = requisition_counts.n + 1;
  end if;
  return null;
end $$;

create trigger requisitions_count_insert_delete after insert or delete on requisitions
  for each row execute function requisition_counts_keep();
create trigger requisitions_count_update after update of status, requester_id on requisitions
  for each row when (old.status is distinct from new.status or old.requester_id is distinct from new.requester_id)
  execute function requisition_counts_keep();

insert into requisition_counts (tenant_id, status, requester_id, n)
select tenant_id, status, requester_id, count(*) from requisitions group by 1, 2, 3;

alter table requisition_counts enable row level security;
alter table requisition_counts force row level security;
create policy tenant_isolation on requisition_counts using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on requisition_counts to millwright_app;
