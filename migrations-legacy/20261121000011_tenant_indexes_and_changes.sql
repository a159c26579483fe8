-- Search indexes that start with the tenant: a word common in every company ("seal") is read from
-- the caller's company only, instead of building a bitmap of every company's items and filtering
-- it (btree_gin puts the tenant's equality into the same GIN scan, which skips through the longer
-- posting list).
create extension if not exists btree_gin;
create index if not exists items_tenant_fts on items using gin (tenant_id, search_vector);
drop index if exists items_fts;
-- (The SKU trigram index stays global: it is read only when prefixes found little, and every
-- extra GIN entry slows the million-row import.)
create index if not exists search_terms_tenant_trgm on search_terms using gin (tenant_id, term gin_trgm_ops);
drop index if exists search_terms_trgm;

-- Changes announced to every server instance at commit (LISTEN millwright_changes), so results
-- each keeps (inventory searches, requisition lists) are dropped when their data changes. The
-- payload is `<kind>:<tenant>`; a change made outside a tenant transaction says `<kind>:*`,
-- which drops everything. One notification per statement (and identical ones within a
-- transaction are sent once).
create or replace function notify_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('millwright_changes',
    tg_argv[0] || ':' || coalesce(nullif(current_setting('app.tenant_id', true), ''), '*'));
  return null;
end
$$;

create trigger items_changes after insert or update or delete on items
  for each statement execute function notify_change('inventory');
create trigger item_categories_changes after insert or update or delete on item_categories
  for each statement execute function notify_change('inventory');
create trigger stock_balances_changes after insert or update or delete on stock_balances
  for each statement execute function notify_change('inventory');
create trigger locations_changes after insert or update or delete on locations
  for each statement execute function notify_change('inventory');
create trigger plants_changes after insert or update or delete on plants
  for each statement execute function notify_change('inventory');
create trigger items_truncate after truncate on items
  for each statement execute function notify_change('inventory');
create trigger stock_balances_truncate after truncate on stock_balances
  for each statement execute function notify_change('inventory');

-- Who is calling (user, roles, grants, tenant, plant), read on every request and kept per instance.
create trigger users_changes after insert or update or delete on users
  for each statement execute function notify_change('principals');
create trigger user_roles_changes after insert or update or delete on user_roles
  for each statement execute function notify_change('principals');
create trigger roles_changes after insert or update or delete on roles
  for each statement execute function notify_change('principals');
create trigger role_permissions_changes after insert or update or delete on role_permissions
  for each statement execute function notify_change('principals');
create trigger tenants_changes after insert or update or delete on tenants
  for each statement execute function notify_change('principals');
create trigger plants_principals_changes after insert or update or delete on plants
  for each statement execute function notify_change('principals');
