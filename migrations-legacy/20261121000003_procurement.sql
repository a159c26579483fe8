-- Procurement (issue 3): suppliers, projects, purchase requisitions, and the approval engine that
-- requisitions use now and purchase orders and invoices will use later. Tenant-owned like the rest.

create table suppliers (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name text not null check (length(name) between 1 and 200),
  email text,
  phone text,
  tax_id text,
  address text,
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  payment_terms_days integer not null default 30 check (payment_terms_days between 0 and 365),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code)
);
create index suppliers_name on suppliers using gin (name gin_trgm_ops);

create table projects (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  name text not null,
  plant_id uuid,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id)
);

-- Gap-free document numbers: the counter row is locked by the creating transaction, so numbers are
-- handed out in commit order and a rolled-back document gives its number back.
create table doc_counters (
  tenant_id uuid not null references tenants(id),
  doc_type text not null,
  year integer not null,
  last_value integer not null,
  primary key (tenant_id, doc_type, year)
);

create table requisitions (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  number text not null,
  status text not null default 'draft'
    check (status in ('draft','submitted','under_review','approved','questioned','rejected','cancelled')),
  purpose text not null check (purpose in ('daily_operations','project')),
  project_id uuid,
  requester_id uuid not null,
  department_id uuid,
  plant_id uuid,
  needed_by date,
  notes text,
  currency char(3) not null,
  total numeric(18,4) not null default 0,
  current_stage integer,
  submitted_at timestamptz,
  decided_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  check (purpose <> 'project' or project_id is not null),
  foreign key (tenant_id, project_id) references projects(tenant_id, id),
  foreign key (tenant_id, requester_id) references users(tenant_id, id),
  foreign key (tenant_id, department_id) references departments(tenant_id, id),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id)
);
create index requisitions_requester on requisitions (tenant_id, requester_id, created_at desc);
create index requisitions_status on requisitions (tenant_id, status, created_at desc);

create table requisition_lines (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  requisition_id uuid not null,
  line_no integer not null,
  item_id uuid,
  description text not null check (length(description) between 1 and 500),
  quantity numeric(18,4) not null check (quantity > 0),
  unit text not null check (length(unit) between 1 and 20),
  estimated_unit_price numeric(18,4) not null check (estimated_unit_price >= 0),
  line_total numeric(18,4) not null,
  supplier_id uuid,
  note text,
  ordered_quantity numeric(18,4) not null default 0 check (ordered_quantity >= 0 and ordered_quantity <= quantity),
  primary key (tenant_id, id),
  unique (tenant_id, requisition_id, line_no),
  foreign key (tenant_id, requisition_id) references requisitions(tenant_id, id) on delete cascade,
  foreign key (tenant_id, supplier_id) references suppliers(tenant_id, id)
);

-- Approval rules: per document type, ordered stages.
create table approval_rules (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  doc_type text not null check (doc_type in ('requisition','purchase_order','invoice')),
  stage integer not null check (stage between 1 and 20),
  name text not null,
  approver_kind text not null check (approver_kind in ('manager','role','user')),
  approver_role text,
  approver_user_id uuid,
  role_limit text not null default 'none' check (role_limit in ('none','plant','department')),
  require_all boolean not null default false,
  condition text not null default '',
  sla_hours integer not null default 24 check (sla_hours between 1 and 2160),
  escalate_to_role text,
  escalate_after_hours integer check (escalate_after_hours between 1 and 2160),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, doc_type, stage),
  check (approver_kind <> 'role' or approver_role is not null),
  check (approver_kind <> 'user' or approver_user_id is not null),
  foreign key (tenant_id, approver_user_id) references users(tenant_id, id)
);

-- The route of one document, fixed when it is submitted: later rule edits do not move it.
create table approval_steps (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  doc_type text not null,
  doc_id uuid not null,
  round integer not null default 1,
  stage integer not null,
  name text not null,
  approver_kind text not null,
  approver_role text,
  approver_user_id uuid,
  role_limit text not null,
  require_all boolean not null,
  sla_hours integer not null,
  escalate_to_role text,
  escalate_after_hours integer,
  status text not null default 'waiting' check (status in ('waiting','pending','approved','rejected','returned','cancelled')),
  activated_at timestamptz,
  due_at timestamptz,
  escalated_at timestamptz,
  decided_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, doc_type, doc_id, round, stage)
);
create index approval_steps_pending on approval_steps (tenant_id, status, doc_type) where status = 'pending';

-- Who may act on a pending step (resolved at activation: the manager, the role's members, a user).
create table approval_step_approvers (
  tenant_id uuid not null references tenants(id),
  step_id uuid not null,
  user_id uuid not null,
  decided boolean not null default false,
  primary key (tenant_id, step_id, user_id),
  foreign key (tenant_id, step_id) references approval_steps(tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references users(tenant_id, id)
);
create index approval_step_approvers_user on approval_step_approvers (tenant_id, user_id) where not decided;

create table approval_actions (
  tenant_id uuid not null references tenants(id),
  id bigint generated always as identity,
  doc_type text not null,
  doc_id uuid not null,
  step_id uuid,
  stage integer,
  actor_id uuid,                 -- null for the system (escalation)
  on_behalf_of uuid,
  action text not null check (action in ('submit','approve','reject','send_back','cancel','escalate','resubmit')),
  comment text,
  at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index approval_actions_doc on approval_actions (tenant_id, doc_type, doc_id, at);

create table delegations (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  from_user_id uuid not null,
  to_user_id uuid not null,
  starts_on date not null,
  ends_on date not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (ends_on >= starts_on),
  check (from_user_id <> to_user_id),
  foreign key (tenant_id, from_user_id) references users(tenant_id, id),
  foreign key (tenant_id, to_user_id) references users(tenant_id, id)
);

create table notifications (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  kind text not null,
  doc_type text,
  doc_id uuid,
  doc_number text,
  comment text,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users(tenant_id, id)
);
create index notifications_user on notifications (tenant_id, user_id, created_at desc);

-- Background work (escalations, e-mail): claimed with SKIP LOCKED across tenants through a
-- SECURITY DEFINER function that returns only ids, then done inside a tenant transaction.
create table jobs (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  kind text not null,
  payload jsonb not null default '{}',
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  locked_until timestamptz,
  done_at timestamptz,
  last_error text,
  primary key (tenant_id, id)
);
create index jobs_due on jobs (run_at) where done_at is null;

do $$
declare t text;
begin
  foreach t in array array['suppliers','projects','approval_rules'] loop
    execute format('create trigger %I before update on %I for each row execute function touch_updated_at()', t || '_touch', t);
  end loop;
  foreach t in array array['suppliers','projects','doc_counters','requisitions','requisition_lines','approval_rules',
                           'approval_steps','approval_step_approvers','approval_actions','delegations','notifications','jobs'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
    execute format('grant select, insert, update, delete on %I to millwright_app', t);
  end loop;
end
$$;
revoke delete, update on approval_actions from millwright_app;

create or replace function claim_jobs(p_kind text, p_limit integer, p_lease_seconds integer)
returns table (tenant_id uuid, id uuid, payload jsonb)
language sql volatile security definer set search_path = public as $$
  update jobs j set locked_until = now() + make_interval(secs => p_lease_seconds), attempts = j.attempts + 1
   where (j.tenant_id, j.id) in (
     select c.tenant_id, c.id from jobs c
      where c.kind = p_kind and c.done_at is null and c.run_at <= now()
        and (c.locked_until is null or c.locked_until < now())
      order by c.run_at
      limit p_limit
      for update skip locked)
  returning j.tenant_id, j.id, j.payload
$$;
revoke all on function claim_jobs(text, integer, integer) from public;
grant execute on function claim_jobs(text, integer, integer) to millwright_app;
