//! The SQL of stock movements: the checks before a movement, the units and lots that follow it,
//! transfers and their arrival, reversals, and the quantity behind the average cost. The ledger
//! rows and balances themselves are in `ledger`.
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// The plant of an active location (None: unknown or inactive).
pub(crate) async fn location_plant(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select plant_id from locations where id = $1 and active",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn item_exists(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from items where id = $1) as "found!""#,
        id
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn cost_centre_active(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from cost_centres where id = $1 and active) as "found!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// What is available of an item at a location (None: no balance there).
pub(crate) async fn available_at(
    conn: &mut PgConnection,
    item: Uuid,
    location: Uuid,
) -> sqlx::Result<Option<Decimal>> {
    sqlx::query_scalar!(
        "select available from stock_balances where item_id = $1 and location_id = $2",
        item,
        location
    )
    .fetch_optional(conn)
    .await
}

/// The item's moving average cost (None: never valued).
pub(crate) async fn average_cost(
    conn: &mut PgConnection,
    item: Uuid,
) -> sqlx::Result<Option<Decimal>> {
    sqlx::query_scalar!(
        "select average_cost from item_costs where item_id = $1",
        item
    )
    .fetch_optional(conn)
    .await
}

/// Stock that left with a price of its own (an issue) leaves the quantity behind the average.
pub(crate) async fn reduce_cost_quantity(
    conn: &mut PgConnection,
    item: Uuid,
    quantity: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update item_costs set quantity = greatest(quantity - $2, 0) where item_id = $1",
        item,
        quantity
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Keeps the quantity behind the moving average in step with stock that enters or leaves
/// without a price of its own (adjustments and their reversals), at the current average.
pub(crate) async fn shift_cost_quantity(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    item: Uuid,
    delta: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!("insert into item_costs (tenant_id, item_id, quantity, average_cost) values ($1, $2, greatest($3::numeric, 0), 0)
         on conflict (tenant_id, item_id) do update set quantity = greatest(item_costs.quantity + $3, 0)", tenant_id, item, delta)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a movement takes from a place, for the units and lots that go with it.
pub(crate) struct Taken<'a> {
    pub item: Uuid,
    pub from: Uuid,
    pub quantity: Decimal,
    /// The place it goes to, for a move; none when it leaves the stock or goes on the road.
    pub to: Option<Uuid>,
    /// The units' and lots' new state, and the name of the event written for each.
    pub status: &'static str,
    pub movement: Uuid,
    /// Serial-numbered units the request named; empty: the oldest go.
    pub named: &'a [Uuid],
}

/// Units and lots follow the stock, in one statement. Serial-numbered units: the `quantity`
/// oldest available units of the item at `from` (accepted, or moved or transferred in; or those
/// named) take `status`, and `to` as their place when it is given. Lots (`lot_balances`): the
/// quantity is taken from the item's lots at `from` (those named, in the order named; else
/// all, oldest first), splitting the last one touched; what is taken arrives at `to` for a
/// move. A lot takes `status` when it is moved, or when nothing of it is left in stock anywhere
/// (nor, unless it is going on the road itself, in transit). Each unit and each lot touched gets an event
/// tied to `movement` (a lot's with the quantity it concerned). Stock without UIDs (counted in
/// before receipts made them, or adjusted in) has no units or lots to follow, and none are
/// invented. Which units are in stock at their place is the database's `uids_available`:
/// `kind = 'serial' and status in ('accepted', 'transferred')`, also in [`units_here`]. (The
/// casts in the union tell PostgreSQL the types the bound values have anyway.)
pub(crate) async fn units_follow(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user: Uuid,
    t: Taken<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "with picked as (
           select id from uids
            where item_id = $2 and location_id = $3 and kind = 'serial' and status in ('accepted', 'transferred')
              and (cardinality($9::uuid[]) = 0 or id = any($9))
            order by created_at, uid limit $4 for update),
         moved as (
           update uids u set status = $5, location_id = coalesce($6, u.location_id)
             from picked where u.id = picked.id returning u.id, u.location_id),
         lot_here as (
           select b.uid_id, b.quantity, u.created_at, u.uid
             from lot_balances b join uids u on u.tenant_id = b.tenant_id and u.id = b.uid_id
            where b.location_id = $3 and u.item_id = $2 and b.quantity > 0
              and (cardinality($9::uuid[]) = 0 or b.uid_id = any($9))
            for update of b),
         lot_take as (
           select uid_id, least(quantity, $10 - coalesce(sum(quantity) over
                    (order by array_position($9::uuid[], uid_id), created_at, uid
                     rows between unbounded preceding and 1 preceding), 0)) as q
             from lot_here),
         lot_taken as (
           update lot_balances b set quantity = b.quantity - t.q
             from lot_take t
            where t.q > 0 and b.tenant_id = $1 and b.uid_id = t.uid_id and b.location_id = $3
           returning b.uid_id, t.q, b.quantity as left_here),
         lot_arrived as (
           insert into lot_balances (tenant_id, uid_id, location_id, quantity)
           select $1, uid_id, $6, q from lot_taken where $6::uuid is not null
           on conflict (tenant_id, uid_id, location_id)
           do update set quantity = lot_balances.quantity + excluded.quantity),
         lot_moved as (
           update uids u set
             status = case
               when $6::uuid is not null then $5
               when t.left_here = 0 and not exists (
                 select 1 from lot_balances o
                  where o.tenant_id = u.tenant_id and o.uid_id = u.id and o.location_id <> $3 and o.quantity > 0)
                -- a lot with a part on the road is not gone yet
                and ($5 = 'in_transit' or not exists (
                 select 1 from uid_events e
                   join stock_movements m on m.tenant_id = e.tenant_id and m.id = e.movement_id
                   join stock_transfers x on x.tenant_id = m.tenant_id and x.id = m.doc_id
                  where e.tenant_id = u.tenant_id and e.uid_id = u.id and m.kind = 'transfer_out'
                    and m.doc_type = 'transfer' and x.status = 'in_transit'))
               then $5
               else u.status end,
             location_id = case when $6::uuid is not null and t.left_here = 0 then $6 else u.location_id end
             from lot_taken t where u.tenant_id = $1 and u.id = t.uid_id)
         insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
         select $1::uuid, id, $5, location_id, $7::uuid, $8::uuid, null::numeric from moved
         union all
         select $1, uid_id, $5, coalesce($6, $3), $7, $8, q from lot_taken",
        tenant_id,
        t.item,
        t.from,
        t.quantity.trunc().to_i64().unwrap_or(0).max(0),
        t.status,
        t.to,
        t.movement,
        user,
        t.named,
        t.quantity
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Of the units and lots named by `codes` (their text or their former text), those of `item` in
/// stock at `from`: (uid, former uid, id, how much of it is here: None for a serial unit, what is
/// left for a lot).
#[allow(clippy::type_complexity)]
pub(crate) async fn units_here(
    conn: &mut PgConnection,
    codes: &[String],
    item: Uuid,
    from: Uuid,
) -> sqlx::Result<Vec<(String, Option<String>, Uuid, Option<Decimal>)>> {
    Ok(sqlx::query!(
        r#"select u.uid, u.former_uid, u.id, b.quantity as "quantity?" from uids u
           left join lot_balances b on b.tenant_id = u.tenant_id and b.uid_id = u.id and b.location_id = $3
          where (u.uid = any($1) or u.former_uid = any($1)) and u.item_id = $2
            and ((u.location_id = $3 and kind = 'serial' and status in ('accepted', 'transferred')) or (u.kind = 'lot' and b.quantity > 0))"#,
        codes,
        item,
        from
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.uid, r.former_uid, r.id, r.quantity))
    .collect())
}

/// A new transfer, in transit; its id.
pub(crate) async fn insert_transfer(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    item: Uuid,
    from: Uuid,
    to: Uuid,
    quantity: Decimal,
    sent_by: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!("insert into stock_transfers (tenant_id, item_id, from_location_id, to_location_id, quantity, sent_by)
         values ($1, $2, $3, $4, $5, $6) returning id", tenant_id, item, from, to, quantity, sent_by)
    .fetch_one(conn)
    .await
}

pub(crate) struct TransferRow {
    pub id: Uuid,
    pub item_id: Uuid,
    pub from_location: String,
    pub to_location: String,
    pub quantity: Decimal,
    pub status: String,
}

/// A transfer with the codes of the locations it goes between.
pub(crate) async fn transfer(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<TransferRow> {
    sqlx::query_as!(
        TransferRow,
        "select t.id, t.item_id, f.code as from_location, o.code as to_location, t.quantity, t.status
           from stock_transfers t
           join locations f on f.tenant_id = t.tenant_id and f.id = t.from_location_id
           join locations o on o.tenant_id = t.tenant_id and o.id = t.to_location_id
          where t.id = $1",
        id
    )
    .fetch_one(conn)
    .await
}

/// A transfer's item, destination, quantity and status, locked until the transaction ends.
pub(crate) async fn lock_transfer(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(Uuid, Uuid, Decimal, String)>> {
    Ok(sqlx::query!("select item_id, to_location_id, quantity, status from stock_transfers where id = $1 for update", id)
        .fetch_optional(conn)
        .await?
        .map(|r| (r.item_id, r.to_location_id, r.quantity, r.status)))
}

/// The units that left with a transfer arrive with it at `to`, and what it carried of lots; each
/// gets its event tied to the arrival `movement`.
pub(crate) async fn units_arrive(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    transfer: Uuid,
    to: Uuid,
    movement: Uuid,
    user: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!("with sent as (
           select e.uid_id, e.quantity from uid_events e
             join stock_movements m on m.tenant_id = e.tenant_id and m.id = e.movement_id
            where m.doc_type = 'transfer' and m.doc_id = $2 and m.kind = 'transfer_out'),
         lots as (
           insert into lot_balances (tenant_id, uid_id, location_id, quantity)
           select $1, uid_id, $3, quantity from sent where quantity is not null
           on conflict (tenant_id, uid_id, location_id)
           do update set quantity = lot_balances.quantity + excluded.quantity),
         moved as (
           update uids u set status = 'transferred',
                  location_id = case when u.status = 'in_transit' then $3 else u.location_id end
             from sent
            where u.id = sent.uid_id and (u.status = 'in_transit' or sent.quantity is not null)
           returning u.id, sent.quantity)
         insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
         select $1, id, 'transferred', $3, $4, $5, quantity from moved", tenant_id, transfer, to, movement, user)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn mark_transfer_received(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!("update stock_transfers set status = 'received', received_by = $2, received_at = now() where id = $1", id, user)
        .execute(conn)
        .await?;
    Ok(())
}

/// A movement as a reversal needs it: kind, item, location, quantity, what it affects, unit
/// cost, and whether it was reversed already.
pub(crate) struct Reversible {
    pub kind: String,
    pub item_id: Uuid,
    pub location_id: Uuid,
    pub quantity: Decimal,
    pub affects: String,
    pub unit_cost: Option<Decimal>,
    pub reversed: bool,
}

pub(crate) async fn reversible(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<Reversible>> {
    sqlx::query_as!(
        Reversible,
        r#"select m.kind, m.item_id, m.location_id, m.quantity, m.affects, m.unit_cost,
                exists(select 1 from stock_movements r where r.reverses = m.id) as "reversed!"
           from stock_movements m where m.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The units and the parts of lots that an issue or a write-off (`movement`) took are back where
/// they were, available again; each gets its event tied to the `reversal`.
pub(crate) async fn units_back(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    movement: Uuid,
    reversal: Uuid,
    user: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!("with taken as (
           select e.uid_id, e.event, e.location_id, e.quantity from uid_events e
            where e.movement_id = $2 and e.event in ('issued', 'adjusted')),
         lots as (
           insert into lot_balances (tenant_id, uid_id, location_id, quantity)
           select $1, uid_id, location_id, quantity from taken where quantity is not null
           on conflict (tenant_id, uid_id, location_id)
           do update set quantity = lot_balances.quantity + excluded.quantity),
         back as (
           update uids u set status = case when u.status = t.event then 'accepted' else u.status end
             from taken t
            where u.id = t.uid_id and (u.status = t.event or t.quantity is not null)
           returning u.id, t.location_id, t.quantity)
         insert into uid_events (tenant_id, uid_id, event, location_id, movement_id, user_id, quantity)
         select $1, id, 'accepted', location_id, $3, $4, quantity from back", tenant_id, movement, reversal, user)
    .execute(conn)
    .await?;
    Ok(())
}
