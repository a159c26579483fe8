-- A new requisition's number is drawn by the create itself, in its last statement before the
-- commit (the statement that reads the lines and route for the answer), which returns it: the
-- gap-free counter row is locked for that statement and the commit, as with the deferred trigger
-- of 0013, but the create no longer needs a statement after its commit to learn the number, and
-- the commit no longer runs a trigger.
drop trigger requisitions_number on requisitions;
drop function assign_requisition_number();
drop function requisition_number(uuid, uuid);

-- The number of requisition `p_id` of the current tenant (row-level security), drawn now if it
-- has none; null when there is no such requisition.
create function requisition_draw_number(p_id uuid) returns text
language plpgsql volatile security invoker as $$
declare
  drawn text;
begin
  update requisitions r
     set number = draw_document_number(r.tenant_id, 'PR',
                    (select extract(year from now() at time zone t.timezone)::int from tenants t where t.id = r.tenant_id))
   where r.id = p_id and r.number is null
  returning r.number into drawn;
  return coalesce(drawn, (select number from requisitions where id = p_id));
end
$$;
grant execute on function requisition_draw_number(uuid) to millwright_app;
