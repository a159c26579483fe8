-- Platform foundation: tenants, organisation, users, roles, permissions, audit, API tokens, sessions.
-- Every tenant-owned table leads its keys with tenant_id and is guarded by FORCED row-level security
-- keyed on the per-transaction setting app.tenant_id. Requests run as millwright_app, which owns nothing.

-- Roles are cluster-wide: databases migrated at the same time (tests, several instances) may race.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'millwright_app') then
    create role millwright_app nologin noinherit nobypassrls;
  end if;
exception when duplicate_object or unique_violation then
  null;
end
$$;
do $$
begin
  execute format('grant millwright_app to %I', current_user);
exception when others then
  -- a superuser can SET ROLE without membership; a plain owner needs the grant above
  null;
end
$$;

create extension if not exists pg_trgm;

create or replace function current_tenant_id() returns uuid
language sql stable parallel safe as $$
  select nullif(current_setting('app.tenant_id', true), '')::uuid
$$;

create or replace function touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  name text not null check (length(name) between 1 and 200),
  default_language text not null default 'en' check (default_language in ('en','hi','bn','te','ar')),
  currency char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  timezone text not null default 'UTC',
  number_format text not null default 'western' check (number_format in ('western','indian')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table companies (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  name text not null,
  legal_name text,
  tax_id text,
  address text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

create table plants (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  company_id uuid not null,
  code text not null check (code ~ '^[A-Z0-9]{2,10}$'),
  name text not null,
  address text,
  timezone text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  foreign key (tenant_id, company_id) references companies(tenant_id, id)
);

create table departments (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  code text not null,
  name text not null,
  plant_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id)
);

create table cost_centres (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  code text not null,
  name text not null,
  department_id uuid,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  foreign key (tenant_id, department_id) references departments(tenant_id, id)
);

create table users (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  username text not null check (username ~ '^[a-z0-9._-]{2,64}$'),
  email text not null,
  display_name text not null,
  password_hash text not null,
  -- left out on insert, it is the tenant's default language (trigger below)
  language text not null check (language in ('en','hi','bn','te','ar')),
  manager_id uuid,
  department_id uuid,
  plant_id uuid,
  active boolean not null default true,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  password_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, username),
  foreign key (tenant_id, manager_id) references users(tenant_id, id),
  foreign key (tenant_id, department_id) references departments(tenant_id, id),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id)
);

create table roles (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  name text not null,
  description text not null default '',
  is_system boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, name)
);

create table role_permissions (
  tenant_id uuid not null references tenants(id),
  role_id uuid not null,
  permission text not null check (permission ~ '^[a-z_]+:[a-z_]+$'),
  scope text not null check (scope in ('own','department','plant','all')),
  primary key (tenant_id, role_id, permission),
  foreign key (tenant_id, role_id) references roles(tenant_id, id) on delete cascade
);

create table user_roles (
  tenant_id uuid not null references tenants(id),
  user_id uuid not null,
  role_id uuid not null,
  primary key (tenant_id, user_id, role_id),
  foreign key (tenant_id, user_id) references users(tenant_id, id) on delete cascade,
  foreign key (tenant_id, role_id) references roles(tenant_id, id) on delete cascade
);

create table audit_log (
  tenant_id uuid not null references tenants(id),
  id bigint generated always as identity,
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
  primary key (tenant_id, id)
);
create index audit_log_entity on audit_log (tenant_id, entity, entity_id, created_at desc);
create index audit_log_user on audit_log (tenant_id, user_id, created_at desc);

create table api_tokens (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  name text not null check (length(name) between 1 and 100),
  token_hash bytea not null unique,
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users(tenant_id, id) on delete cascade
);
create index api_tokens_user on api_tokens (tenant_id, user_id);

-- A new user speaks the tenant's default language unless told otherwise.
create or replace function users_default_language() returns trigger
language plpgsql as $$
begin
  if new.language is null then
    select default_language into new.language from tenants where id = new.tenant_id;
  end if;
  return new;
end
$$;
create trigger users_default_language before insert on users
  for each row execute function users_default_language();

-- updated_at maintenance
do $$
declare t text;
begin
  foreach t in array array['tenants','companies','plants','departments','cost_centres','users','roles'] loop
    execute format('create trigger %I before update on %I for each row execute function touch_updated_at()', t || '_touch', t);
  end loop;
end
$$;

-- Row-level security on every tenant-owned table.
alter table tenants enable row level security;
alter table tenants force row level security;
create policy tenant_isolation on tenants using (id = current_tenant_id()) with check (id = current_tenant_id());

do $$
declare t text;
begin
  foreach t in array array['companies','plants','departments','cost_centres','users','roles',
                           'role_permissions','user_roles','audit_log','api_tokens'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
end
$$;

-- The only ways to learn a tenant before one is set: by slug (login) and by token hash (bearer auth).
-- SECURITY DEFINER functions owned by the schema owner, returning ids only.
create or replace function tenant_id_by_slug(p_slug text) returns uuid
language sql stable security definer set search_path = public as $$
  select id from tenants where slug = p_slug and active
$$;

create or replace function api_token_lookup(p_hash bytea)
returns table (tenant_id uuid, user_id uuid, token_id uuid)
language plpgsql volatile security definer set search_path = public as $$
begin
  return query
    select t.tenant_id, t.user_id, t.id from api_tokens t
     where t.token_hash = p_hash and t.revoked_at is null
       and (t.expires_at is null or t.expires_at > now());
  -- last use is recorded at most once a minute, so bearer traffic does not write on every call
  update api_tokens a set last_used_at = now()
   where a.token_hash = p_hash and (a.last_used_at is null or a.last_used_at < now() - interval '1 minute');
end
$$;

revoke all on function tenant_id_by_slug(text) from public;
revoke all on function api_token_lookup(bytea) from public;
grant execute on function tenant_id_by_slug(text) to millwright_app;
grant execute on function api_token_lookup(bytea) to millwright_app;
grant execute on function current_tenant_id() to millwright_app;

-- Sessions (tower-sessions PostgreSQL store). Not tenant-owned: the record is opaque and keyed by a random id.
create schema if not exists tower_sessions;
create table if not exists tower_sessions.session (
  id text primary key not null,
  data bytea not null,
  expiry_date timestamptz not null
);

grant usage on schema public to millwright_app;
grant usage on schema tower_sessions to millwright_app;
grant select, insert, update, delete on tower_sessions.session to millwright_app;
grant select, update on tenants to millwright_app;
grant select, insert, update, delete on companies, plants, departments, cost_centres, users, roles,
  role_permissions, user_roles, api_tokens to millwright_app;
-- the audit trail is append-only for the application
grant select, insert on audit_log to millwright_app;
