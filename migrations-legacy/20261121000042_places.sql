-- The category tree and storage locations kept by the company itself (issue 25, point 9).

-- A category moves under another (a branch with it), never under itself or its own branch: the
-- service refuses it with a reason, and this trigger refuses it whatever writes the row. Moves of
-- one tenant's tree are serialised by a transaction-scoped advisory lock, so two moves at once
-- (A under B while B goes under A) cannot make a cycle between them; each walk reads what is
-- committed once the lock is held.
create function item_categories_no_cycle() returns trigger language plpgsql as $$
begin
  if new.parent_id is null then
    return new;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('item_categories:' || new.tenant_id::text, 0));
  if exists (
    with recursive up(id, parent_id) as (
      select c.id, c.parent_id from item_categories c
       where c.tenant_id = new.tenant_id and c.id = new.parent_id
      union
      select c.id, c.parent_id from item_categories c
        join up on c.tenant_id = new.tenant_id and c.id = up.parent_id
    )
    select 1 from up where up.id = new.id
  ) then
    raise exception 'a category cannot be moved under itself or one of its own branches'
      using errcode = 'check_violation', constraint = 'item_categories_no_cycle';
  end if;
  return new;
end $$;
create trigger item_categories_no_cycle before insert or update of parent_id on item_categories
  for each row execute function item_categories_no_cycle();

-- the children of a category (the tree is read whole, but a move checks its branch)
create index item_categories_parent on item_categories (tenant_id, parent_id);

-- Administrators keep storage locations as well as the warehouse (a new company's first user adds
-- its racks and bins): the system Admin role of every existing tenant gains what new tenants' gets.
insert into role_permissions (tenant_id, role_id, permission, scope)
select r.tenant_id, r.id, 'storage:manage', 'all'
  from roles r
 where r.name = 'Admin' and r.is_system
on conflict (tenant_id, role_id, permission) do nothing;
