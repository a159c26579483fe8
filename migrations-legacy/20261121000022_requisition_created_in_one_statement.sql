-- A requisition is created by one statement outside an explicit transaction: the server calls
-- create_requisition once and PostgreSQL runs it as its own transaction (one round trip instead
-- of seven: BEGIN and settings, project check, header, lines, read back, COMMIT, number). The
-- function sets the tenant for that transaction only (as platform_principal does), so row-level
-- security applies to every statement in it exactly as in a transaction begun by the server.
--
-- The number is drawn by the insert itself: the row is written once (the deferred trigger of
-- migration 0013 wrote it a second time, with every index entry again), and the tenant's counter
-- stays locked only for the rest of this statement and its commit, no round trip in between.
-- The trigger stays for inserts that come without a number (seeders).
--
-- Nothing is written when a reference is refused: the project (when the purpose is a project)
-- must be an active project, each line's supplier and item active records of the tenant. The
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
          -- the server announces the change once this has committed (db::announce)
          set_config('millwright.changed_requisitions', p_tenant::text, true);
  if p_project is not null and not exists(select 1 from projects pr where pr.id = p_project and pr.active) then
    return query select null::text, null::timestamptz, true, null::int[], null::int[], null::text,
                        null::text, null::text, null::uuid[], null::text[];
    return;
  end if;
  select array_agg(x.n order by x.n) filter (where x.s is not null and not exists(
           select 1 from suppliers s where s.id = x.s and s.active)),
         array_agg(x.n order by x.n) filter (where x.i is not null and not exists(
           select 1 from items i where i.id = x.i and i.active))
    into bad_suppliers, bad_items
    from unnest(l_no, l_supplier, l_item) as x(n, s, i);
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

-- The number was read back by this after the commit; create_requisition returns it.
drop function requisition_number(uuid, uuid);
