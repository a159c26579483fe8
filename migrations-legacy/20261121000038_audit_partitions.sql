-- The audit log, readable (issue 25, point 8): partitioned by month on its timestamp (seed 004),
-- so a year of entries stays fast to filter and an old month can later be detached whole.
--
-- Months are calendar months in UTC (the table is shared by tenants of every time zone), named
-- audit_log_yYYYYmMM. Partitions are made ahead: three months at every start-up and every day by
-- the job queue (a platform job `audit_partitions`, see audit_log_partitions_ahead). A default
-- partition catches a row whose month has none yet, the last resort should both have stopped for
-- three months; making that month's partition later moves such rows out of it.
--
-- The rows already there are kept (copied with their ids); the application still only selects and
-- inserts (the trail is append-only for it), under row-level security on the table and on every
-- partition.
--
-- The filters of the audit page each have an index that reads their rows newest first, within a
-- tenant: by time alone (the key), by user, by record (entity and id), by record type, by action.
-- Each ends with (created_at, id), so a page is read in order and counted from the index alone.

alter table audit_log rename to audit_log_unpartitioned;
alter table audit_log_unpartitioned rename constraint audit_log_pkey to audit_log_unpartitioned_pkey;
drop index audit_log_entity;
drop index audit_log_user;
-- a partitioned table cannot have an identity column in PostgreSQL 15: a sequence of its own
alter table audit_log_unpartitioned alter column id drop identity;

create sequence audit_log_id_seq as bigint;

-- (no reference to tenants: see tenants_are_kept)
create table audit_log (
  tenant_id uuid not null,
  id bigint not null default nextval('audit_log_id_seq'),
  user_id uuid,
  action text not null,
  entity text not null,
  entity_id text,
  old_values jsonb,
  new_values jsonb,
  ip text,
  user_agent text,
  request_id text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, created_at, id)
) partition by range (created_at);
alter sequence audit_log_id_seq owned by audit_log.id;

create index audit_log_user on audit_log (tenant_id, user_id, created_at, id);
create index audit_log_record on audit_log (tenant_id, entity, entity_id, created_at, id);
create index audit_log_entity on audit_log (tenant_id, entity, created_at, id);
create index audit_log_action on audit_log (tenant_id, action, created_at, id);

alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy tenant_isolation on audit_log using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

create table audit_log_default partition of audit_log default;
alter table audit_log_default enable row level security;
alter table audit_log_default force row level security;
create policy tenant_isolation on audit_log_default using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- Makes the monthly partitions of every month from p_from's to p_to's that has none (rows of such
-- a month waiting in the default partition move into it); returns how many it made. One caller at a
-- time (an advisory lock), so instances starting together do not collide. Owner only.
create function audit_log_partitions(p_from timestamptz, p_to timestamptz) returns integer
language plpgsql volatile security definer set search_path = public set timezone = 'UTC' as $$
declare
  m timestamptz := date_trunc('month', p_from);
  part text;
  made integer := 0;
begin
  if p_to < p_from or p_to > p_from + interval '30 years' then
    raise exception 'audit_log_partitions: % to % is not a range of months', p_from, p_to
      using errcode = 'invalid_parameter_value';
  end if;
  perform pg_advisory_xact_lock(hashtext('audit_log_partitions'));
  while m <= p_to loop
    part := 'audit_log_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM');
    if to_regclass(part) is null then
      execute format('create table %I (like audit_log including defaults)', part);
      execute format('alter table %I enable row level security', part);
      execute format('alter table %I force row level security', part);
      execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', part);
      execute format('insert into %I select * from audit_log_default where created_at >= $1 and created_at < $2', part)
        using m, m + interval '1 month';
      delete from audit_log_default where created_at >= m and created_at < m + interval '1 month';
      execute format('alter table audit_log attach partition %I for values from (%L) to (%L)',
                     part, m, m + interval '1 month');
      made := made + 1;
    end if;
    m := m + interval '1 month';
  end loop;
  return made;
end
$$;
revoke all on function audit_log_partitions(timestamptz, timestamptz) from public;

-- The partitions of this month and the p_months after it (at most 24): what start-up and the daily
-- job call. The application may run it (through the job queue).
create function audit_log_partitions_ahead(p_months integer) returns integer
language sql volatile security definer set search_path = public as $$
  select audit_log_partitions(now(), now() + make_interval(months => least(greatest(p_months, 0), 24)))
$$;
revoke all on function audit_log_partitions_ahead(integer) from public;
grant execute on function audit_log_partitions_ahead(integer) to millwright_app;

-- The rows kept, in partitions of their months (and three months ahead)
select audit_log_partitions(coalesce((select min(created_at) from audit_log_unpartitioned), now()),
                            now() + interval '3 months');
insert into audit_log select * from audit_log_unpartitioned;
select setval('audit_log_id_seq', coalesce((select max(id) from audit_log_unpartitioned), 0) + 1, false);
drop table audit_log_unpartitioned;

-- the audit trail is append-only for the application
grant select, insert on audit_log to millwright_app;
grant usage on sequence audit_log_id_seq to millwright_app;

-- Platform jobs (not a tenant's): kept under the nil tenant id, claimed like any job. At most one
-- pending partition job at a time, whoever schedules it.
create unique index jobs_audit_partitions_pending on jobs (kind)
  where kind = 'audit_partitions' and done_at is null;

-- The Executive may read the audit log (issue 25, point 12): the system role of every existing
-- tenant gains what new tenants' gets.
insert into role_permissions (tenant_id, role_id, permission, scope)
select r.tenant_id, r.id, 'audit:view', 'all'
  from roles r
 where r.name = 'Executive' and r.is_system
on conflict (tenant_id, role_id, permission) do nothing;
