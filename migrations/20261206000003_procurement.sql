-- Procurement: suppliers, projects, purchase requisitions (routed by the approval engine), and the
-- purchase orders generated from approved requisition lines, one per supplier and delivery plant;
-- the documents' attachments. Tenant-owned like the rest.

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
  -- the language of the documents sent to the supplier (purchase order PDF and e-mail); null: the
  -- company's default language
  language text check (language in ('en', 'hi', 'bn', 'te', 'ar')),
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

-- (no reference to tenants: see tenants_are_kept)
create table requisitions (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  -- null only until the inserting transaction commits (requisitions_number below)
  number text,
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

-- (no reference to tenants: see tenants_are_kept)
create table requisition_lines (
  tenant_id uuid not null,
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

-- The requisition list at 100,000 rows per tenant (bench/procurement): newest first by index, and
-- the text search reaching number, notes, line descriptions through trigram indexes (usable under
-- row-level security because their operators are leakproof, see the platform).
create index requisitions_created on requisitions (tenant_id, created_at desc, number desc);
create index requisitions_number_trgm on requisitions using gin (number gin_trgm_ops);
create index requisitions_notes_trgm on requisitions using gin (notes gin_trgm_ops);
create index requisition_lines_description_trgm on requisition_lines using gin (description gin_trgm_ops);

-- Exact requisition counts per tenant, status and requester, so that the list's total for someone
-- who sees everything is a sum over a few rows instead of a scan of 100,000.
--
-- The counts are appended deltas, not one row per (tenant, status, requester) updated in place:
-- every create, submit and decision of one requester would update the same few rows, each locked
-- until its transaction ends, so concurrent requisitions would queue behind each other. A
-- transition appends -1 / +1 rows (no lock on anything shared); the list sums them, and a periodic
-- compaction (compact_requisition_counts) folds each key's rows into one. Hence no primary key.
--
-- They are appended by the two statements that create a requisition and change its status
-- (create_requisition; procurement::service::change_status), as one more common table expression
-- of each, not by row triggers: triggers ran a PL/pgSQL function and a separate insert per changed
-- row, five per create → submit → approve cycle, about 1.1 ms of PostgreSQL CPU per cycle (6.3 →
-- 5.2 ms measured without them), the largest single cost of the cycle. Requisitions are never
-- deleted and their requester never changes; status changes only in change_status. The benchmark
-- seeder counts what it inserts itself.
-- (no reference to tenants: see tenants_are_kept)
create table requisition_counts (
  tenant_id uuid not null,
  status text not null,
  requester_id uuid not null,
  n bigint not null default 0
);
create index requisition_counts_key on requisition_counts (tenant_id, status, requester_id);

-- Compaction deletes the rows it read and inserts their sum in one statement: rows appended
-- meanwhile are untouched, and two compactions at once each fold only the rows they deleted, so
-- the sums stay exact.
create function compact_requisition_counts() returns bigint
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

-- Requisition numbers are gap-free, so the counter row of a tenant and year stays locked from the
-- draw until the drawing transaction ends. create_requisition draws the number in the insert
-- itself (the counter stays locked only for the rest of that statement and its commit). A row
-- inserted without a number (seeders) gets one from a deferred constraint trigger, as the last
-- thing before the commit: drawn earlier, every requisition created at the same time would wait
-- for the statements and round trips that followed the draw and for the commit; this way the lock
-- is held for one update and the WAL flush. A row inserted with its number (imports, seeds) keeps it.
create function assign_requisition_number() returns trigger
language plpgsql security invoker as $$
begin
  update requisitions
     set number = draw_document_number(new.tenant_id, 'PR',
                    (select extract(year from now() at time zone t.timezone)::int from tenants t where t.id = new.tenant_id))
   where tenant_id = new.tenant_id and id = new.id;
  return null;
end
$$;

create constraint trigger requisitions_number
  after insert on requisitions deferrable initially deferred
  for each row when (new.number is null)
  execute function assign_requisition_number();

-- (no reference to tenants: see tenants_are_kept)
create table purchase_orders (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  number text not null,
  status text not null default 'draft'
    check (status in ('draft','pending_approval','approved','sent','partially_received','received','closed','cancelled')),
  supplier_id uuid not null,
  plant_id uuid,
  delivery_address text,
  expected_delivery_date date,
  payment_terms_days integer not null,
  currency char(3) not null,
  subtotal numeric(18,4) not null default 0,
  tax_amount numeric(18,4) not null default 0,
  total numeric(18,4) not null default 0,
  current_stage integer,
  created_by uuid not null,
  approved_at timestamptz,
  sent_at timestamptz,
  status_comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, supplier_id) references suppliers(tenant_id, id),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id)
);
create index purchase_orders_status on purchase_orders (tenant_id, status, created_at desc);
create index purchase_orders_supplier on purchase_orders (tenant_id, supplier_id, created_at desc);

-- (no reference to tenants: see tenants_are_kept)
create table purchase_order_lines (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  purchase_order_id uuid not null,
  line_no integer not null,
  requisition_line_id uuid not null,
  item_id uuid,
  description text not null,
  quantity numeric(18,4) not null check (quantity > 0),
  unit text not null,
  unit_price numeric(18,4) not null check (unit_price >= 0),
  tax_rate numeric(7,4) not null check (tax_rate between 0 and 1),
  line_subtotal numeric(18,4) not null,
  tax_amount numeric(18,4) not null,
  line_total numeric(18,4) not null,
  received_quantity numeric(18,4) not null default 0 check (received_quantity >= 0),
  primary key (tenant_id, id),
  unique (tenant_id, purchase_order_id, line_no),
  foreign key (tenant_id, purchase_order_id) references purchase_orders(tenant_id, id) on delete cascade,
  foreign key (tenant_id, requisition_line_id) references requisition_lines(tenant_id, id)
);
create index purchase_order_lines_req_line on purchase_order_lines (tenant_id, requisition_line_id);

create table attachments (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  doc_type text not null check (doc_type in ('requisition','purchase_order')),
  doc_id uuid not null,
  file_name text not null check (length(file_name) between 1 and 255),
  content_type text not null,
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text not null,
  storage_key text not null,
  uploaded_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, uploaded_by) references users(tenant_id, id)
);
create index attachments_doc on attachments (tenant_id, doc_type, doc_id, created_at);

do $$
declare t text;
begin
  foreach t in array array['suppliers','projects','purchase_orders'] loop
    execute format('create trigger %I before update on %I for each row execute function touch_updated_at()', t || '_touch', t);
  end loop;
  foreach t in array array['suppliers','projects','requisitions','requisition_lines','requisition_counts',
                           'purchase_orders','purchase_order_lines','attachments'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
end
$$;
grant select, insert, update, delete on suppliers, projects, requisitions, requisition_lines, purchase_orders,
  purchase_order_lines, attachments to millwright_app;
-- the application never deletes counts: compact_requisition_counts does, as the owner
grant select, insert, update on requisition_counts to millwright_app;

-- A requisition is created by one statement outside an explicit transaction: the server calls
-- create_requisition once and PostgreSQL runs it as its own transaction (one round trip instead
-- of seven: BEGIN and settings, project check, header, lines, read back, COMMIT, number). The
-- function sets the tenant for that transaction only (as platform_principal does), so row-level
-- security applies to every statement in it exactly as in a transaction begun by the server.
--
-- The number is drawn by the insert itself, so the row is written once (a number drawn by the
-- deferred trigger is a second write of the row, with every index entry again), and the tenant's
-- counter stays locked only for the rest of this statement and its commit, no round trip in
-- between.
--
-- Nothing is written when a reference is refused: the project (when the purpose is a project)
-- must be an active project, each line's supplier and item active records of the tenant
-- (requisition_line_refusals, defined with the inventory, as it reads catalogue items). The
-- refusals are returned instead (line numbers), and the server answers 422 by field.
create function create_requisition(
  p_tenant uuid, p_id uuid, p_purpose text, p_project uuid, p_requester uuid, p_department uuid,
  p_plant uuid, p_needed_by date, p_notes text, p_currency text, p_total numeric,
  l_no int[], l_item uuid[], l_description text[], l_quantity numeric[], l_unit text[],
  l_price numeric[], l_total numeric[], l_supplier uuid[], l_note text[],
  a_user uuid, a_new jsonb, a_ip text, a_user_agent text, a_request text)
returns table (
  number text, created_at timestamptz, project_refused boolean, suppliers_refused int[],
  items_refused int[], project text, department text, plant text, line_ids uuid[], suppliers text[])
language plpgsql volatile security invoker as $$
declare
  bad_suppliers int[];
  bad_items int[];
begin
  perform set_config('app.tenant_id', p_tenant::text, true),
          set_config('plan_cache_mode', 'force_generic_plan', true),
          -- the server announces the change once this has committed (db::Announcer)
          set_config('millwright.changed_requisitions', p_tenant::text, true);
  if p_project is not null and not exists(select 1 from projects pr where pr.id = p_project and pr.active) then
    return query select null::text, null::timestamptz, true, null::int[], null::int[], null::text,
                        null::text, null::text, null::uuid[], null::text[];
    return;
  end if;
  select r.suppliers, r.items into bad_suppliers, bad_items from requisition_line_refusals(l_no, l_supplier, l_item) r;
  if bad_suppliers is not null or bad_items is not null then
    return query select null::text, null::timestamptz, false, bad_suppliers, bad_items, null::text,
                        null::text, null::text, null::uuid[], null::text[];
    return;
  end if;
  return query
    with drawn as (
           select draw_document_number(p_tenant, 'PR',
                    (select extract(year from now() at time zone t.timezone)::int from tenants t where t.id = p_tenant)) as number),
         header as (
           insert into requisitions (id, tenant_id, number, purpose, project_id, requester_id, department_id,
                                     plant_id, needed_by, notes, currency, total)
           select p_id, p_tenant, drawn.number, p_purpose, p_project, p_requester, p_department, p_plant,
                  p_needed_by, p_notes, p_currency, p_total from drawn
           returning requisitions.number, requisitions.created_at),
         lines as (
           insert into requisition_lines (tenant_id, requisition_id, line_no, item_id, description, quantity,
                                          unit, estimated_unit_price, line_total, supplier_id, note)
           select p_tenant, p_id, x.n, x.i, x.d, x.q, x.u, x.p, x.t, x.s, x.note
             from unnest(l_no, l_item, l_description, l_quantity, l_unit, l_price, l_total, l_supplier, l_note)
                  as x(n, i, d, q, u, p, t, s, note)
           returning requisition_lines.id, requisition_lines.line_no, requisition_lines.supplier_id),
         counted as (
           insert into requisition_counts (tenant_id, status, requester_id, n) values (p_tenant, 'draft', p_requester, 1)),
         audited as (
           insert into audit_log (tenant_id, user_id, action, entity, entity_id, old_values, new_values, ip,
                                  user_agent, request_id)
           values (p_tenant, a_user, 'create', 'requisition', p_id::text, null, a_new, a_ip, a_user_agent, a_request))
    select h.number, h.created_at, false, null::int[], null::int[],
           (select pr.name from projects pr where pr.id = p_project),
           (select d.name from departments d where d.id = p_department),
           (select pl.name from plants pl where pl.id = p_plant),
           (select array_agg(l.id order by l.line_no) from lines l),
           (select array_agg(s.name order by l.line_no) from lines l left join suppliers s on s.id = l.supplier_id)
      from header h;
end
$$;
grant execute on function create_requisition(uuid, uuid, text, uuid, uuid, uuid, uuid, date, text, text, numeric,
  int[], uuid[], text[], numeric[], text[], numeric[], numeric[], uuid[], text[], uuid, jsonb, text, text, text)
  to millwright_app;

-- Requisition lists are kept per instance until the tenant's requisitions change (notify_change):
-- the rows, their lines (searched), their requesters (names, seats) and the approvers of open
-- stages (who may see which requisition).
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
