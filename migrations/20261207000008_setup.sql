-- The setup wizard and the tenant settings page (issue 25): plants carry their state and GSTIN
-- (India's place of supply), and a tenant may number its documents with its own prefixes.
alter table plants
  add column state_code text check (state_code ~ '^[0-9]{2}$'),
  add column gstin text check (gstin ~ '^[0-9]{2}[0-9A-Z]{13}$');

-- A tenant's prefix for a kind of document (PR, PO, GRN); without a row the kind's own. The
-- counter stays the kind's, so a renamed prefix continues the year's sequence.
create table doc_prefixes (
  tenant_id uuid not null references tenants(id),
  doc_type text not null,
  prefix text not null check (prefix ~ '^[A-Z]{1,6}$'),
  primary key (tenant_id, doc_type)
);
alter table doc_prefixes enable row level security;
alter table doc_prefixes force row level security;
create policy tenant_isolation on doc_prefixes using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update, delete on doc_prefixes to millwright_app;

create or replace function draw_document_number(p_tenant uuid, p_prefix text, p_year int) returns text
language plpgsql volatile security invoker as $$
declare
  n int;
  shown text;
begin
  insert into doc_counters (tenant_id, doc_type, year, last_value) values (p_tenant, p_prefix, p_year, 1)
    on conflict (tenant_id, doc_type, year) do update set last_value = doc_counters.last_value + 1
    returning last_value into n;
  select coalesce((select d.prefix from doc_prefixes d where d.tenant_id = p_tenant and d.doc_type = p_prefix), p_prefix)
    into shown;
  return shown || '-' || p_year || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end;
end
$$;

-- Who is calling also says where the tenant stands in its first days (the banners of an
-- unverified or not yet set up tenant), kept with the principal instead of asked for on every page.
drop function platform_principal(uuid, uuid);
create function platform_principal(p_tenant uuid, p_user uuid)
returns table (
  id uuid, username text, display_name text, email text, language text, active boolean,
  slug text, tenant_name text, currency text, default_language text, timezone text, number_format text,
  plant_name text, roles text[], grants text[], department_id uuid, plant_id uuid,
  totp_enabled boolean, totp_enrolment_required boolean, verify_by date, setup_pending boolean
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
              where ur.user_id = u.id and r.name = any (t.require_totp_roles)),
           case when t.email_verified_at is null then (t.created_at at time zone t.timezone)::date + 7 end,
           t.setup_completed_at is null
      from users u
      join tenants t on t.id = u.tenant_id
      left join plants p on p.tenant_id = u.tenant_id and p.id = u.plant_id
      left join user_totp tf on tf.tenant_id = u.tenant_id and tf.user_id = u.id
     where u.id = p_user;
end
$$;
grant execute on function platform_principal(uuid, uuid) to millwright_app;
