-- Tenants are never deleted, and the busiest tables stop checking their tenant row.
--
-- Every insert into a table whose tenant_id references tenants(id) ran a foreign-key check that
-- locks the tenant's one row FOR KEY SHARE: about 24 per create → submit → approve cycle, all on
-- the same row. Dropping those checks on the transactional tables below saved 0.44 ms of
-- PostgreSQL CPU per cycle (5.89 → 5.45 ms, three alternating runs each; throughput +6 %).
--
-- What the check guarded stays guarded: no statement can delete a tenant (the trigger below), and
-- row-level security admits a row only for the tenant of the request (set from an authenticated
-- principal). Most of these tables also reference a tenant-owned parent by (tenant_id, …), which
-- implies the tenant. Master data (users, plants, suppliers, items, …) keeps its reference.
create or replace function tenants_are_kept() returns trigger language plpgsql as $$
begin
  raise exception 'tenants are not deleted; deactivate the tenant instead'
    using errcode = 'restrict_violation';
end $$;
create trigger tenants_kept before delete on tenants
  for each row execute function tenants_are_kept();
create trigger tenants_kept_truncate before truncate on tenants
  for each statement execute function tenants_are_kept();

do $$
declare
  c record;
begin
  for c in
    select k.conrelid::regclass as tbl, k.conname
      from pg_constraint k
     where k.contype = 'f' and k.confrelid = 'tenants'::regclass
       and k.conrelid::regclass::text in (
         'requisitions', 'requisition_lines', 'requisition_counts', 'approval_steps',
         'approval_step_approvers', 'approval_actions', 'audit_log', 'jobs', 'outbox_emails',
         'notifications', 'purchase_orders', 'purchase_order_lines', 'stock_movements', 'uid_events')
  loop
    execute format('alter table %s drop constraint %I', c.tbl, c.conname);
  end loop;
end $$;
