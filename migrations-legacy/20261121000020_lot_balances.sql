-- Lots are split by partial movements.
--
-- A lot UID used to keep its receipt's place and whole quantity whatever happened to part of it:
-- issuing 3 of a lot of 10 left the lot "accepted" at its bin with 10, and its trace did not show
-- the issue. Now each lot has a quantity per place (accepted goods only; kept in the movement's
-- transaction by inventory::stock), and each of its events the quantity it concerned. A lot is
-- issued (or written off) when nothing of it is left anywhere; it is in transit when all that is
-- left of it is on the road.
create table lot_balances (
  tenant_id uuid not null references tenants(id),
  uid_id uuid not null,
  location_id uuid not null,
  quantity numeric(18,4) not null check (quantity >= 0),
  primary key (tenant_id, uid_id, location_id),
  foreign key (tenant_id, uid_id) references uids(tenant_id, id),
  foreign key (tenant_id, location_id) references locations(tenant_id, id)
);
-- the lots at a place, oldest first, for issues, moves and transfers
create index lot_balances_place on lot_balances (tenant_id, location_id) where quantity > 0;

alter table lot_balances enable row level security;
alter table lot_balances force row level security;
create policy tenant_isolation on lot_balances
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update, delete on lot_balances to millwright_app;

-- how much of a lot an event moved (null for a serial-numbered unit, which is one)
alter table uid_events add column quantity numeric(18,4);

-- lots already accepted are whole at their place, as they were kept until now
insert into lot_balances (tenant_id, uid_id, location_id, quantity)
select tenant_id, id, location_id, quantity from uids
 where kind = 'lot' and status in ('accepted', 'transferred') and location_id is not null;
update uid_events e set quantity = u.quantity
  from uids u
 where u.tenant_id = e.tenant_id and u.id = e.uid_id and u.kind = 'lot';
