-- Requisition counts as appended deltas instead of one row per (tenant, status, requester) updated
-- in place: every create, submit and decision of one requester updated the same few rows, each
-- locked until its transaction ended, so concurrent requisitions queued behind each other. Now a
-- transition appends -1 / +1 rows (no lock on anything shared); the list sums them, and a periodic
-- compaction folds each key's rows into one. Compaction deletes the rows it read and inserts their
-- sum in one statement: rows appended meanwhile are untouched, and two compactions at once each
-- fold only the rows they deleted, so the sums stay exact.
alter table requisition_counts drop constraint requisition_counts_pkey;
create index requisition_counts_key on requisition_counts (tenant_id, status, requester_id);

create or replace function requisition_counts_keep() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into requisition_counts (tenant_id, status, requester_id, n)
    values (old.tenant_id, old.status, old.requester_id, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into requisition_counts (tenant_id, status, requester_id, n)
    values (new.tenant_id, new.status, new.requester_id, 1);
  end if;
  return null;
end $$;

create or replace function compact_requisition_counts() returns bigint
language sql volatile security definer set search_path = public as $$
  with keys as (
    select tenant_id, status, requester_id from requisition_counts
     group by 1, 2, 3 having count(*) > 1),
  gone as (
    delete from requisition_counts c using keys k
     where c.tenant_id = k.tenant_id and c.status = k.status and c.requester_id = k.requester_id
    returning c.tenant_id, c.status, c.requester_id, c.n),
  kept as (
    insert into requisition_counts (tenant_id, status, requester_id, n)
    select tenant_id, status, requester_id, sum(n) from gone group by 1, 2, 3 having sum(n) <> 0
    returning 1)
  select count(*) from gone
$$;
revoke all on function compact_requisition_counts() from public;
grant execute on function compact_requisition_counts() to millwright_app;
select compact_requisition_counts();

-- Requisition lists are kept per instance until the tenant's requisitions change (see
-- notify_change in the previous migration): the rows, their lines (searched), their requesters
-- (names, seats) and the approvers of open stages (who may see which requisition).
create trigger requisitions_changes after insert or update or delete on requisitions
  for each statement execute function notify_change('requisitions');
create trigger requisition_lines_changes after insert or update or delete on requisition_lines
  for each statement execute function notify_change('requisitions');
create trigger users_requisitions_changes after insert or update or delete on users
  for each statement execute function notify_change('requisitions');
create trigger approval_step_approvers_changes after insert or update or delete on approval_step_approvers
  for each statement execute function notify_change('requisitions');
create trigger approval_steps_changes after insert or update or delete on approval_steps
  for each statement execute function notify_change('requisitions');

-- A decided stage closes its escalation job: found by the step instead of reading every open job.
create index jobs_escalation_step on jobs ((payload->>'step_id')) where kind = 'escalate' and done_at is null;
