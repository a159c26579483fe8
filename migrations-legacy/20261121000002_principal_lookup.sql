-- Who is calling, in one round trip: sets the tenant for the rest of this statement's transaction
-- and reads the user under row-level security (SECURITY INVOKER: the caller's role, so RLS applies).
create or replace function platform_principal(p_tenant uuid, p_user uuid)
returns table (
  id uuid, username text, display_name text, email text, language text, active boolean,
  slug text, tenant_name text, currency text, default_language text, timezone text, number_format text,
  plant_name text, roles text[], grants text[]
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
                  where ur.user_id = u.id)
      from users u
      join tenants t on t.id = u.tenant_id
      left join plants p on p.tenant_id = u.tenant_id and p.id = u.plant_id
     where u.id = p_user;
end
$$;
grant execute on function platform_principal(uuid, uuid) to millwright_app;
