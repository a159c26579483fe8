-- Bulk import of items from CSV (issue 4): one row per import, read by the progress bar and
-- `GET /api/v1/jobs/{id}`; the work itself is a `jobs` row of kind `import_items` claimed by a
-- worker. Errors are kept as codes with line and column and translated when read.
create table import_jobs (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  kind text not null default 'items' check (kind in ('items')),
  status text not null default 'queued' check (status in ('queued','running','succeeded','failed')),
  -- reading, checking, writing: what a running import is doing
  phase text,
  file_key text not null,
  file_name text not null,
  total bigint not null default 0,
  processed bigint not null default 0,
  imported bigint not null default 0,
  -- [{"line": 12, "column": "sku", "code": "duplicate", "detail": "…"}], at most 1,000
  errors jsonb not null default '[]',
  error_count bigint not null default 0,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id)
);
create index import_jobs_recent on import_jobs (tenant_id, created_at desc);
alter table import_jobs enable row level security;
alter table import_jobs force row level security;
create policy tenant_isolation on import_jobs using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on import_jobs to millwright_app;

-- a movement is reversed at most once
create unique index stock_movements_reversed_once on stock_movements (tenant_id, reverses) where reverses is not null;
