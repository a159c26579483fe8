-- Two-factor sign-in with TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps), issue 25.
--
-- A user's authenticator secret is set up (enabled_at null: pending, shown once with its QR code)
-- and becomes active when a first code is confirmed. last_step is the last time step a code was
-- accepted for: a code is accepted once, never replayed within its window. Recovery codes are
-- stored as SHA-256 hashes (each code carries about 79 bits of randomness, so a slow hash adds
-- nothing and a fast one lets sign-in find the code by its key); a used code keeps its row with
-- used_at set.
--
-- The tenant's sign-in policy names the roles whose holders must use a second factor; a holder
-- without one is sent to enrolment (platform_principal says so on every request).

alter table tenants add column require_totp_roles text[] not null default '{}';

create table user_totp (
  tenant_id uuid not null references tenants(id),
  user_id uuid not null,
  secret bytea not null check (length(secret) between 16 and 64),
  enabled_at timestamptz,
  last_step bigint,
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id),
  foreign key (tenant_id, user_id) references users(tenant_id, id) on delete cascade
);

create table user_recovery_codes (
  tenant_id uuid not null references tenants(id),
  user_id uuid not null,
  code_hash bytea not null check (length(code_hash) = 32),
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id, code_hash),
  foreign key (tenant_id, user_id) references users(tenant_id, id) on delete cascade
);

do $$
declare t text;
begin
  foreach t in array array['user_totp','user_recovery_codes'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
end
$$;
grant select, insert, update, delete on user_totp, user_recovery_codes to millwright_app;

-- Whether a user has a second factor, and whether the policy sends them to enrolment, are part of
-- who is calling (kept per instance until it changes).
create trigger user_totp_changes after insert or update or delete on user_totp
  for each statement execute function notify_change('principals');

drop function platform_principal(uuid, uuid);
create function platform_principal(p_tenant uuid, p_user uuid)
returns table (
  id uuid, username text, display_name text, email text, language text, active boolean,
  slug text, tenant_name text, currency text, default_language text, timezone text, number_format text,
  plant_name text, roles text[], grants text[], department_id uuid, plant_id uuid,
  totp_enabled boolean, totp_enrolment_required boolean
)
language plpgsql volatile security invoker as $$
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  return query
    select u.id, u.username, u.display_name, u.email, u.language, u.active,
           t.slug, t.name, t.currency::text, t.default_language, t.timezone, t.number_format,
           p.name,
           array(select r.name from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                  where ur.user_id = u.id order by r.name),
           array(select distinct rp.permission || ':' || rp.scope
                   from user_roles ur join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                  where ur.user_id = u.id),
           u.department_id, u.plant_id,
           tf.enabled_at is not null,
           tf.enabled_at is null and exists (
             select 1 from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
              where ur.user_id = u.id and r.name = any (t.require_totp_roles))
      from users u
      join tenants t on t.id = u.tenant_id
      left join plants p on p.tenant_id = u.tenant_id and p.id = u.plant_id
      left join user_totp tf on tf.tenant_id = u.tenant_id and tf.user_id = u.id
     where u.id = p_user;
end
$$;
grant execute on function platform_principal(uuid, uuid) to millwright_app;
