//! Search's SQL: the ranked search in one statement (`search_results`), the listing without
//! words, type-ahead and typo correction. The statements are the benchmarked ones (README): keep
//! their text, the pool they run on and their number.
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What a search shows, read in one statement: a text search's ranked candidates counted and
/// paged with the page's items, their stock and the facets (`search_results`);
/// the listing without words pages by SKU and reads its page with `search_page`.
pub(crate) struct Found {
    pub total: i32,
    pub more: bool,
    pub page_ids: Vec<Uuid>,
    pub page_scores: Vec<f32>,
    pub details: Json<Vec<SearchSql>>,
    pub stock: Json<Vec<StockSql>>,
    pub categories: Json<Vec<CategorySql>>,
    pub plants: Json<Vec<PlantSql>>,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct SearchSql {
    pub id: Uuid,
    pub sku: String,
    pub names: BTreeMap<String, String>,
    pub descriptions: BTreeMap<String, String>,
    /// The listing's rows name their category; a text search's give its id, named among the
    /// candidates' categories.
    #[serde(default)]
    pub category_names: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub category_id: Option<Uuid>,
    pub unit: String,
}

/// Quantities come as text and are read as decimals (never through a JSON number).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct StockSql {
    pub item_id: Uuid,
    pub plant: String,
    pub on_hand: String,
    pub available: String,
}

/// A category of the candidates and how many of them are in it.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CategorySql {
    pub id: Uuid,
    pub names: BTreeMap<String, String>,
    pub items: i64,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct PlantSql {
    pub code: Option<String>,
    pub name: Option<String>,
    pub items: i64,
}

/// A type-ahead candidate: id, SKU, names, score.
pub(crate) type SuggestRow = (Uuid, String, Json<BTreeMap<String, String>>, f32);

/// Searches read through the indexes, in index order first (SKU prefixes, words by key): with a
/// LIMIT the planner may otherwise expect to find enough rows early in a sequential scan, or sort
/// a whole bitmap of SKUs, and read all million items. For the rest of the transaction.
pub(crate) async fn read_through_indexes(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select from (select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)) s")
        .execute(conn)
        .await?;
    Ok(())
}

/// The words, each unknown one replaced by the most similar word of the company's item names
/// (`corrected_words`); None when nothing was corrected.
pub(crate) async fn corrected_words(
    conn: &mut PgConnection,
    words: &[String],
    threshold: f32,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select corrected_words($1, $2)", words, threshold)
        .fetch_one(conn)
        .await
}

/// What `search_results` is asked: the text, its filters, its SKU range and typo words, how
/// many candidates to rank and the page.
pub(crate) struct SearchArgs<'a> {
    pub tenant_id: Uuid,
    pub text: &'a str,
    pub category_id: Option<Uuid>,
    pub plant: Option<&'a str>,
    pub in_stock: bool,
    pub sku_from: Option<&'a str>,
    pub sku_to: Option<&'a str>,
    pub part: Option<&'a str>,
    pub typo_words: &'a [String],
    pub typo_threshold: f32,
    pub cap: i32,
    pub block: i32,
    pub offset: i32,
    pub per_page: i32,
}

/// A text search: SKU prefixes, parts of SKUs, words, words corrected; ranked, counted and paged
/// in one statement, on the search pool (the function is given the tenant).
pub(crate) async fn search_results(pool: &PgPool, a: SearchArgs<'_>) -> sqlx::Result<Found> {
    // a function's columns are all nullable to the compiler; these never are
    sqlx::query_as!(
        Found,
        r#"select total as "total!", more as "more!", page_ids as "page_ids!", page_scores as "page_scores!",
                          details as "details!: Json<Vec<SearchSql>>", stock as "stock!: Json<Vec<StockSql>>",
                          categories as "categories!: Json<Vec<CategorySql>>", plants as "plants!: Json<Vec<PlantSql>>"
                     from search_results($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
        a.tenant_id,
        a.text,
        a.category_id,
        a.plant,
        a.in_stock,
        a.sku_from,
        a.sku_to,
        a.part,
        a.typo_words,
        a.typo_threshold,
        a.cap,
        a.block,
        a.offset,
        a.per_page
    )
    .fetch_one(pool)
    .await
}

// The listing without words is filtered by category subtree ($2) and stock available ($4, at
// plant $3 when given), as a text search is by `search_candidates`; $1 (no text) keeps the
// parameters of the search's. Both statements below carry the same filter text.

/// How many active items the listing without words has.
pub(crate) async fn count_listed(
    conn: &mut PgConnection,
    category_id: Option<Uuid>,
    plant: Option<&str>,
    in_stock: bool,
) -> sqlx::Result<i64> {
    let total = sqlx::query_scalar!(
        "select count(*) from items i where $1::text is null and i.active
    and ($2::uuid is null or i.category_id in (select category_subtree($2)))
    and (not $4 or item_in_stock(i.id, $3))",
        None::<String>,
        category_id,
        plant,
        in_stock
    )
    .fetch_one(conn)
    .await?;
    // count(*) is never null; the compiler cannot know
    Ok(total.unwrap_or_default())
}

/// A page of the listing without words, by SKU.
pub(crate) async fn listed_page(
    conn: &mut PgConnection,
    category_id: Option<Uuid>,
    plant: Option<&str>,
    in_stock: bool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select i.id from items i
                  where $1::text is null and i.active
    and ($2::uuid is null or i.category_id in (select category_subtree($2)))
    and (not $4 or item_in_stock(i.id, $3)) order by i.sku limit $5 offset $6",
        None::<String>,
        category_id,
        plant,
        in_stock,
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

/// The listing's page: its items and their stock (`search_page`), on the search pool.
pub(crate) async fn search_page(
    pool: &PgPool,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> sqlx::Result<(Json<Vec<SearchSql>>, Json<Vec<StockSql>>)> {
    sqlx::query!(
        r#"select details as "details!: Json<Vec<SearchSql>>", stock as "stock!: Json<Vec<StockSql>>" from search_page($1, $2)"#,
        tenant_id,
        ids
    )
    .fetch_one(pool)
    .await
    .map(|r| (r.details, r.stock))
}

/// Up to five words of the company's vocabulary in [`from`, `to`), shortest first.
pub(crate) async fn terms_between(
    conn: &mut PgConnection,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select term from search_terms where term ~>=~ $1 and term ~<~ $2
          order by length(term), term limit 5",
        from,
        to
    )
    .fetch_all(conn)
    .await
}

/// Up to 10 active items whose SKU is in [`from`, `to`), by SKU.
pub(crate) async fn suggest_by_sku(
    conn: &mut PgConnection,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<SuggestRow>> {
    Ok(sqlx::query!(
        r#"select i.id, i.sku, i.names as "names: Json<BTreeMap<String, String>>", 3.0::real as "score!" from items i
                  where i.sku ~>=~ $1 and i.sku ~<~ $2 and i.active
                  order by i.sku using ~<~ limit 10"#,
        from,
        to
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.sku, r.names, r.score))
    .collect())
}

/// One word being typed: the items kept with the words of the company's vocabulary in
/// [`from`, `to`) (shortest words first), read by key.
pub(crate) async fn suggest_by_word(
    conn: &mut PgConnection,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<SuggestRow>> {
    Ok(sqlx::query!(
        r#"with t as (select term, items[1:10] as items from search_terms where term ~>=~ $1 and term ~<~ $2
                         order by length(term), term limit 5)
             select i.id, i.sku, i.names as "names: Json<BTreeMap<String, String>>",
                    (2 - length(t.term)::real / 100)::real as "score!"
               from t cross join lateral unnest(t.items) u(id)
               join items i on i.id = u.id
              where i.active
              limit 20"#,
        from,
        to
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.sku, r.names, r.score))
    .collect())
}

/// Several words, the last one completed (a tsquery text), through the full-text index.
pub(crate) async fn suggest_by_words(
    conn: &mut PgConnection,
    words: &str,
) -> sqlx::Result<Vec<SuggestRow>> {
    Ok(sqlx::query!(
        r#"select item_id as "id!", item_sku as "sku!", item_names as "names!: Json<BTreeMap<String, String>>",
                      item_score as "score!"
               from suggest_words(to_tsquery('english', $1) || to_tsquery('simple', $1), 1, 20)"#,
        words
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.sku, r.names, r.score))
    .collect())
}

/// The typed words corrected, searched as words (`search_query`).
pub(crate) async fn suggest_corrected(
    conn: &mut PgConnection,
    fixed: &str,
) -> sqlx::Result<Vec<SuggestRow>> {
    Ok(sqlx::query!(
        r#"select item_id as "id!", item_sku as "sku!", item_names as "names!: Json<BTreeMap<String, String>>",
                          item_score as "score!"
                   from suggest_words(search_query($1), 0.5, 20)"#,
        fixed
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.sku, r.names, r.score))
    .collect())
}
