-- A company signs itself up (issue 25): the application creates a tenant, inside a transaction
-- whose tenant setting is the new tenant's own id, so row-level security's check still holds (it
-- can insert no other tenant's row).
grant insert on tenants to millwright_app;

-- What the setup wizard keeps on the tenant, and where the tenant stands in its first days.
alter table tenants
  add column fiscal_year_start_month smallint not null default 1 check (fiscal_year_start_month between 1 and 12),
  -- the address that verifies the sign-up (the first administrator's), and when it was verified;
  -- an unverified tenant works, with a banner, for 7 days after created_at
  add column signup_email text,
  add column email_verified_at timestamptz,
  -- when the first administrator finished (or skipped) the setup wizard
  add column setup_completed_at timestamptz;

-- Tenants that existed before sign-up (the demo, tenants made by hand) are verified and set up.
update tenants set email_verified_at = created_at, setup_completed_at = created_at;

-- Single-use links sent by e-mail: the sign-up's address verification, later invitations and
-- password resets. Only a hash of the token is kept; the link holds the token itself.
create table user_tokens (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  purpose text not null check (purpose in ('verify_email', 'invite', 'password_reset')),
  token_hash bytea not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users(tenant_id, id)
);
create index user_tokens_user on user_tokens (tenant_id, user_id, purpose);
alter table user_tokens enable row level security;
alter table user_tokens force row level security;
create policy tenant_isolation on user_tokens using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update on user_tokens to millwright_app;

-- A link arrives without a tenant: its token names it (like api_token_lookup for bearer tokens).
create function user_token_tenant(p_hash bytea) returns uuid
language sql stable security definer set search_path = public as $$
  select tenant_id from user_tokens where token_hash = p_hash
$$;
revoke all on function user_token_tenant(bytea) from public;
grant execute on function user_token_tenant(bytea) to millwright_app;

-- Administrators keep the master data too (a new company's first user adds its first item): the
-- system Admin role of every existing tenant gains what new tenants' gets.
insert into role_permissions (tenant_id, role_id, permission, scope)
select r.tenant_id, r.id, p.permission, 'all'
  from roles r
 cross join unnest(array['inventory:view', 'inventory:search', 'inventory:manage']) as p(permission)
 where r.name = 'Admin' and r.is_system
on conflict (tenant_id, role_id, permission) do nothing;
