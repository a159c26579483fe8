//! SQL of requisitions: the header with the visibility rule, the lines, drafting, the status
//! change read back with the approval timeline, and the statements registered with the engine.
use crate::platform::audit::{self, Entry};
use crate::platform::context::RequestCtx;
use crate::platform::db::Query;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// Who reads requisitions, as the visibility rule sees them.
pub(crate) struct Reader {
    pub(crate) user_id: Uuid,
    /// `own`, `department`, `plant` or `all` (`none` without the permission to view).
    pub(crate) scope: &'static str,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) plant_id: Option<Uuid>,
}

/// The visibility rule as SQL: own, department, plant or all by scope, plus any requisition the
/// reader holds (or held) an approval seat on. Only the branches the reader's scope opens are
/// written, so each scope is its own statement with its own plan.
fn push_visible(qb: &mut QueryBuilder<'_, Postgres>, r: &Reader) {
    if r.scope == "all" {
        qb.push("true");
        return;
    }
    qb.push("(r.requester_id = ").push_bind(r.user_id);
    match (r.scope, r.plant_id, r.department_id) {
        ("plant", Some(plant), _) => {
            qb.push(" or r.plant_id = ").push_bind(plant);
        }
        ("department", _, Some(department)) => {
            qb.push(" or r.department_id = ").push_bind(department);
        }
        _ => {}
    }
    qb.push(
        "
   or exists (select 1 from approval_steps s join approval_step_approvers a on a.tenant_id = s.tenant_id and a.step_id = s.id
               where s.doc_type = 'requisition' and s.doc_id = r.id and a.user_id = ",
    )
    .push_bind(r.user_id)
    .push("))");
}

#[derive(sqlx::FromRow)]
pub(crate) struct Header {
    pub(crate) id: Uuid,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) purpose: String,
    pub(crate) project_id: Option<Uuid>,
    pub(crate) project: Option<String>,
    pub(crate) requester_id: Uuid,
    pub(crate) requester: String,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) department: Option<String>,
    pub(crate) department_code: Option<String>,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) plant: Option<String>,
    pub(crate) plant_code: Option<String>,
    pub(crate) needed_by: Option<NaiveDate>,
    pub(crate) notes: Option<String>,
    pub(crate) total: Decimal,
    pub(crate) currency: String,
    pub(crate) current_stage: Option<i32>,
    pub(crate) version: i32,
    pub(crate) created_at: DateTime<Utc>,
}

const HEADER_SQL: &str = "select r.id, coalesce(r.number, '') as number, r.status, r.purpose, r.project_id, pr.name as project, r.requester_id,
        u.display_name as requester, r.department_id, d.name as department, d.code as department_code,
        r.plant_id, p.name as plant, p.code as plant_code, r.needed_by, r.notes, r.total, r.currency::text as currency,
        r.current_stage, r.version, r.created_at
   from requisitions r
   join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
   left join departments d on d.tenant_id = r.tenant_id and d.id = r.department_id
   left join plants p on p.tenant_id = r.tenant_id and p.id = r.plant_id
   left join projects pr on pr.tenant_id = r.tenant_id and pr.id = r.project_id";

/// The requisition's header if the reader may see it, its row locked when asked.
pub(crate) async fn header(
    conn: &mut PgConnection,
    reader: &Reader,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<Header>> {
    // Dynamic: the visibility rule is shared with the list, and the row is locked only when asked
    let mut qb = QueryBuilder::<Postgres>::new(HEADER_SQL);
    qb.push(" where r.id = ").push_bind(id).push(" and ");
    push_visible(&mut qb, reader);
    if lock {
        qb.push(" for update of r");
    }
    qb.build_query_as::<Header>().fetch_optional(conn).await
}

#[derive(sqlx::FromRow)]
pub(crate) struct ListRow {
    pub(crate) id: Uuid,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) purpose: String,
    pub(crate) requester: String,
    pub(crate) total: Decimal,
    pub(crate) currency: String,
    pub(crate) needed_by: Option<NaiveDate>,
    pub(crate) created_at: DateTime<Utc>,
    /// How many requisitions the filters find in all (the same on every row).
    pub(crate) found: i64,
}

/// A page of the requisition list: its reader and filters.
pub(crate) struct ListQuery {
    pub(crate) reader: Reader,
    pub(crate) status: Option<&'static str>,
    /// Only the reader's own.
    pub(crate) mine: bool,
    /// The search words as an `ilike` pattern (`%…%`, with `%` and `_` escaped).
    pub(crate) pattern: Option<String>,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) limit: i64,
    pub(crate) offset: i64,
}

impl ListQuery {
    /// Whether the total is a sum of the kept counts ([`count_kept_requisitions`]): for a reader
    /// who sees everything and filters by status or their own at most.
    pub(crate) fn counted_by_kept_counts(&self) -> bool {
        self.reader.scope == "all"
            && self.pattern.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }
}

/// The list's conditions on `requisitions r`, only those that apply: each combination of filters
/// is its own statement, planned for what it asks (an optional filter written as `$1 is null or
/// …` makes one plan for every combination, good for none). The text search finds the matching
/// ids first, each column through its own trigram index, and the list reads those rows by key.
fn push_filters<'a>(qb: &mut QueryBuilder<'a, Postgres>, f: &'a ListQuery) {
    push_visible(qb, &f.reader);
    if let Some(status) = f.status {
        qb.push(" and r.status = ").push_bind(status);
    }
    if f.mine {
        qb.push(" and r.requester_id = ")
            .push_bind(f.reader.user_id);
    }
    if let Some(pattern) = f.pattern.as_deref() {
        qb.push(
            "
            and r.id = any(array(
                 select x.id from requisitions x where x.number ilike ",
        )
        .push_bind(pattern)
        .push("\n                 union select x.id from requisitions x where x.notes ilike ")
        .push_bind(pattern)
        .push("\n                 union select l.requisition_id from requisition_lines l where l.description ilike ")
        .push_bind(pattern)
        .push(
            "
                 union select x.id from requisitions x
                        where x.requester_id = any(array(select w.id from users w where w.display_name ilike ",
        )
        .push_bind(pattern)
        .push("))))");
    }
    if let Some(from) = f.from {
        qb.push(" and r.created_at >= ")
            .push_bind(from)
            .push("::date");
    }
    if let Some(to) = f.to {
        qb.push(" and r.created_at < ")
            .push_bind(to)
            .push("::date + 1");
    }
}

/// How many requisitions the list's filters find (a separate scan, for a page past the end).
pub(crate) async fn count_requisitions(
    conn: &mut PgConnection,
    f: &ListQuery,
) -> sqlx::Result<i64> {
    // Dynamic: only the filters that apply are written (see `push_filters`)
    let mut qb = QueryBuilder::<Postgres>::new("select count(*) from requisitions r where ");
    push_filters(&mut qb, f);
    qb.build_query_scalar::<i64>().fetch_one(conn).await
}

/// How many requisitions there are, by status and the reader's own at most, from the kept
/// counts: for a reader who sees everything and filters by nothing else.
pub(crate) async fn count_kept_requisitions(
    conn: &mut PgConnection,
    status: Option<&str>,
    mine: bool,
    user_id: Uuid,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select coalesce(sum(n), 0)::bigint as "n!" from requisition_counts r
          where ($1::text is null or r.status = $1) and (not $2 or r.requester_id = $3)"#,
        status,
        mine,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// A page of the requisitions the list's filters find, the newest first, each row with the
/// total: one statement. The page's keys are found in the list's order by an index-only scan
/// (the ordering indexes carry the id), so a deep page skips index entries, not table rows; only
/// the page's rows are then read. The total is the kept counts' sum when they answer it
/// ([`ListQuery::counted_by_kept_counts`]), otherwise a window count over what the filters find.
/// A page past the end has no rows, so no total: the caller counts then.
pub(crate) async fn list_requisitions(
    conn: &mut PgConnection,
    f: &ListQuery,
) -> sqlx::Result<Vec<ListRow>> {
    // Dynamic: only the filters that apply are written (see `push_filters`), and the total comes
    // from the kept counts or a window count
    let mut qb = QueryBuilder::<Postgres>::new(
        "select r.id, r.number, r.status, r.purpose, u.display_name as requester, r.total, r.currency::text as currency,
                r.needed_by, r.created_at, page.found
           from (select r.id, r.created_at, r.number, ",
    );
    if f.counted_by_kept_counts() {
        qb.push("(select coalesce(sum(c.n), 0)::bigint from requisition_counts c where true");
        if let Some(status) = f.status {
            qb.push(" and c.status = ").push_bind(status);
        }
        if f.mine {
            qb.push(" and c.requester_id = ")
                .push_bind(f.reader.user_id);
        }
        qb.push(")");
    } else {
        qb.push("count(*) over ()");
    }
    qb.push(" as found\n                   from requisitions r where ");
    push_filters(&mut qb, f);
    // the page size is written, not bound (a number from 1 to 100, one statement each): planned
    // once per connection, the plan knows the page is small and reads its rows by key
    qb.push("\n                  order by r.created_at desc, r.number desc limit ")
        .push(f.limit.clamp(1, 100))
        .push(" offset ")
        .push_bind(f.offset)
        .push(
            ") page
           join requisitions r on r.id = page.id
           join users u on u.tenant_id = r.tenant_id and u.id = r.requester_id
          order by page.created_at desc, page.number desc",
        );
    qb.build_query_as::<ListRow>().fetch_all(conn).await
}

/// A line as [`LINES_JSON`] gives it (decimals as text, read exactly).
#[derive(serde::Deserialize)]
pub(crate) struct LineRow {
    pub(crate) id: Uuid,
    pub(crate) line_no: i32,
    pub(crate) item_id: Option<Uuid>,
    pub(crate) description: String,
    pub(crate) quantity: Decimal,
    pub(crate) unit: String,
    pub(crate) estimated_unit_price: Decimal,
    pub(crate) line_total: Decimal,
    pub(crate) supplier_id: Option<Uuid>,
    pub(crate) supplier: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) ordered_quantity: Decimal,
}

/// The requisition's lines as one JSON array, an extra of the approval engine's timeline
/// statement (`$2` is the document's id there).
pub(crate) const LINES_JSON: &str = "coalesce((select json_agg(json_build_object(
        'id', l.id, 'line_no', l.line_no, 'item_id', l.item_id, 'description', l.description,
        'quantity', l.quantity::text, 'unit', l.unit, 'estimated_unit_price', l.estimated_unit_price::text,
        'line_total', l.line_total::text, 'supplier_id', l.supplier_id, 'supplier', s.name, 'note', l.note,
        'ordered_quantity', l.ordered_quantity::text) order by l.line_no)
     from requisition_lines l left join suppliers s on s.tenant_id = l.tenant_id and s.id = l.supplier_id
    where l.requisition_id = $2), '[]')";

/// Whether the project is an active project of this tenant (another tenant's id is unknown).
pub(crate) async fn project_is_active(
    conn: &mut PgConnection,
    project: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from projects where id = $1 and active) as "found!""#,
        project
    )
    .fetch_one(conn)
    .await
}

/// A requisition's lines as the columns they are written with (one array per column, bound to
/// `unnest`).
pub(crate) struct LineColumns<'a> {
    pub(crate) line_no: Vec<i32>,
    pub(crate) items: Vec<Option<Uuid>>,
    pub(crate) descriptions: Vec<&'a str>,
    pub(crate) quantities: Vec<Decimal>,
    pub(crate) units: Vec<&'a str>,
    pub(crate) prices: Vec<Decimal>,
    pub(crate) totals: Vec<Decimal>,
    pub(crate) suppliers: Vec<Option<Uuid>>,
    pub(crate) notes: Vec<Option<&'a str>>,
}

/// The line numbers (from 1) that `requisition_line_refusals` refused: suppliers, items.
pub(crate) type Refused = (Option<Vec<i32>>, Option<Vec<i32>>);

/// All lines in one statement (one round trip however many lines), each inserted only if its
/// suggested supplier and catalogue item are active records of this tenant; when any is not,
/// nothing is inserted and the refused line numbers are returned.
pub(crate) async fn insert_requisition_lines(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    req_id: Uuid,
    c: &LineColumns<'_>,
) -> sqlx::Result<Refused> {
    let refused = sqlx::query!(
        "with r as (select * from requisition_line_refusals($3, $10, $4)),
              ins as (
           insert into requisition_lines (tenant_id, requisition_id, line_no, item_id, description, quantity, unit,
                                          estimated_unit_price, line_total, supplier_id, note)
           select $1, $2, x.line_no, x.item_id, x.description, x.quantity, x.unit, x.price, x.total, x.supplier_id, x.note
             from unnest($3::int[], $4::uuid[], $5::text[], $6::numeric[], $7::text[], $8::numeric[], $9::numeric[],
                         $10::uuid[], $11::text[])
                  as x(line_no, item_id, description, quantity, unit, price, total, supplier_id, note)
            where (select r.suppliers is null and r.items is null from r))
         select suppliers, items from r",
        tenant_id,
        req_id,
        &c.line_no,
        &c.items as &[Option<Uuid>],
        &c.descriptions as &[&str],
        &c.quantities,
        &c.units as &[&str],
        &c.prices,
        &c.totals,
        &c.suppliers as &[Option<Uuid>],
        &c.notes as &[Option<&str>]
    )
    .fetch_one(conn)
    .await?;
    Ok((refused.suppliers, refused.items))
}

/// What `create_requisition` answers: the references it refused (then nothing was
/// written), or the new requisition's number, time and the names of what it refers to.
#[derive(sqlx::FromRow)]
pub(crate) struct Created {
    pub(crate) number: Option<String>,
    pub(crate) created_at: Option<DateTime<Utc>>,
    pub(crate) project_refused: bool,
    pub(crate) suppliers_refused: Option<Vec<i32>>,
    pub(crate) items_refused: Option<Vec<i32>>,
    pub(crate) project: Option<String>,
    pub(crate) department: Option<String>,
    pub(crate) plant: Option<String>,
    pub(crate) line_ids: Option<Vec<Uuid>>,
    pub(crate) suppliers: Option<Vec<Option<String>>>,
}

/// A draft as `create_requisition` takes it; the requester is also the audit row's user.
pub(crate) struct NewRequisition<'a> {
    pub(crate) tenant_id: Uuid,
    pub(crate) id: Uuid,
    pub(crate) purpose: &'static str,
    pub(crate) project_id: Option<Uuid>,
    pub(crate) requester_id: Uuid,
    pub(crate) department_id: Option<Uuid>,
    pub(crate) plant_id: Option<Uuid>,
    pub(crate) needed_by: Option<NaiveDate>,
    pub(crate) notes: Option<&'a str>,
    pub(crate) currency: &'a str,
    pub(crate) total: Decimal,
    pub(crate) lines: &'a LineColumns<'a>,
    /// The audit row's new values.
    pub(crate) input: Option<serde_json::Value>,
}

/// Creates a draft in one statement that PostgreSQL runs as its own transaction (on the pool,
/// outside any tenant transaction): the references are checked first (nothing is written when
/// one is refused), then the header with its gap-free number, the lines, the count and the audit
/// row, whose origin is the request's.
pub(crate) async fn create_requisition(
    pool: &PgPool,
    ctx: &RequestCtx,
    r: NewRequisition<'_>,
) -> sqlx::Result<Created> {
    let c = r.lines;
    // Dynamic: the audit helper binds the request's origin as $23-$25 after these 22 values
    let mut qb = QueryBuilder::<Postgres>::new("select * from create_requisition(");
    qb.separated(", ")
        .push_bind(r.tenant_id)
        .push_bind(r.id)
        .push_bind(r.purpose)
        .push_bind(r.project_id)
        .push_bind(r.requester_id)
        .push_bind(r.department_id)
        .push_bind(r.plant_id)
        .push_bind(r.needed_by)
        .push_bind(r.notes)
        .push_bind(r.currency)
        .push_bind(r.total)
        .push_bind(&c.line_no)
        .push_bind(&c.items)
        .push_bind(&c.descriptions)
        .push_bind(&c.quantities)
        .push_bind(&c.units)
        .push_bind(&c.prices)
        .push_bind(&c.totals)
        .push_bind(&c.suppliers)
        .push_bind(&c.notes)
        .push_bind(r.requester_id)
        .push_bind(r.input);
    qb.push(", $23, $24, $25)");
    let row = audit::bind_origin(qb.build(), ctx).fetch_one(pool).await?;
    <Created as sqlx::FromRow<_>>::from_row(&row)
}

pub(crate) async fn delete_requisition_lines(
    conn: &mut PgConnection,
    requisition_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from requisition_lines where requisition_id = $1",
        requisition_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The header's editable fields, and a new version.
pub(crate) async fn update_requisition(
    conn: &mut PgConnection,
    id: Uuid,
    purpose: &str,
    project_id: Option<Uuid>,
    needed_by: Option<NaiveDate>,
    notes: Option<&str>,
    total: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!("update requisitions set purpose = $2, project_id = $3, needed_by = $4, notes = $5, total = $6, version = version + 1
          where id = $1", id, purpose, project_id, needed_by, notes, total)
    .execute(conn)
    .await?;
    Ok(())
}

/// The requisition's move from its status to $4 in the counts (-1 / +1), read from the row as the
/// statement found it (locked by the header), for a statement that changes the status.
const COUNTED: &str =
    "counted as (insert into requisition_counts (tenant_id, status, requester_id, n)
      select o.tenant_id, d.status, o.requester_id, d.n
        from requisitions o cross join lateral (values (o.status, -1), ($4, 1)) d(status, n)
       where o.id = $2 and o.status is distinct from $4)";

/// A status change with its count and audit row, as common table expressions run by the
/// approval engine's timeline statement (`engine::timeline_after`: `$1` document type, `$2` id
/// and `$3` reader are the engine's): `$4` the status, `$5` the stage, then the audit row's
/// values, bound by [`bind_status_change`].
pub(crate) fn status_change() -> String {
    format!(
        "change as (update requisitions set status = $4, current_stage = $5, version = version + 1,
                submitted_at = case when $4 in ('under_review', 'approved') and submitted_at is null then now() else submitted_at end,
                decided_at = case when $4 in ('approved', 'rejected') then now() else decided_at end
          where id = $2), {}, {COUNTED}",
        audit::cte(5)
    )
}

/// Binds [`status_change`]'s values after the engine's three.
pub(crate) fn bind_status_change<'q>(
    q: Query<'q>,
    status: &'static str,
    stage: Option<i32>,
    tenant_id: Uuid,
    ctx: &RequestCtx,
    entry: Entry<'q>,
) -> Query<'q> {
    audit::bind(q.bind(status).bind(stage), tenant_id, ctx, entry)
}

/// How the approval engine reads a requisition's header (its registration).
pub(crate) const KIND_HEADER_SQL: &str =
    "select id, number, requester_id, total, currency, plant_id, department_id from requisitions";

/// The default approval rules of requisitions, seeded per tenant (`$1`).
pub(crate) const KIND_DEFAULT_RULES_SQL: &str = "insert into approval_rules (tenant_id, doc_type, stage, name, approver_kind, approver_role, condition,
                                     sla_hours, escalate_to_role, escalate_after_hours)
         values ($1, 'requisition', 1, 'Manager', 'manager', null, '', 24, 'ProcurementMgr', 72),
                ($1, 'requisition', 2, 'Accounts', 'role', 'Accountant', 'amount > 50000', 48, 'ProcurementMgr', 72)
         on conflict (tenant_id, doc_type, stage) do nothing";
