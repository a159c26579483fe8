//! Search and type-ahead: read on the search pool, kept in the result cache until the tenant's
//! inventory changes.
use crate::error::{AppError, AppResult};
use crate::inventory::model::*;
use crate::inventory::repo::search::{self as repo, SearchArgs, SearchSql, SuggestRow};
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::{tenant_tx, Tx};
use crate::platform::model::locale_code;
use rust_decimal::Decimal;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How alike a misspelled word must be to a known word (pg_trgm similarity, 0–1; its default):
/// 0.3 lets "bering" find "bearing", "gerbox" "gearbox" and two letters swapped ("bearnig",
/// 0.33) "bearing" (0.4 missed swaps); the most similar known word is taken.
const TYPO_THRESHOLD: f32 = 0.3;

/// The words of `text` that a typo may be corrected in: lower-cased, three letters or more,
/// eight at most.
fn typo_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3)
        .take(8)
        .collect()
}

/// The words of `text`, each unknown one replaced by the most similar word of the company's
/// item names (`corrected_words`); None when nothing was corrected.
async fn corrected(tx: &mut Tx, text: &str) -> AppResult<Option<String>> {
    let words = typo_words(text);
    if words.is_empty() {
        return Ok(None);
    }
    Ok(repo::corrected_words(tx, &words, TYPO_THRESHOLD).await?)
}

/// Search results, kept by language, text, filters and page until the tenant's inventory changes
/// (items, categories, stock balances, locations, plants).
pub struct SearchResults;

impl crate::platform::cache::Slot for SearchResults {
    type Key = String;
    type Value = SearchResult;
    const KIND: &'static str = "inventory";
    /// about 10 KB each
    const CAPACITY: usize = 2_000;
}

/// The search of the app shell and `GET /api/v1/inventory`: SKU prefixes first, then ranked
/// words in every language, then — when words find too little — similar spellings (typos),
/// within the caller's tenant (RLS). Every candidate query is bounded, so a broad word among a
/// million items costs the same as a rare one: the candidates the page needs are ranked and
/// counted, in blocks of [`SEARCH_BLOCK`] ([`search_cap`]; then `more` is set). Without words
/// the items are listed by SKU with an exact count.
///
/// Results are kept per tenant until its inventory changes ([`crate::platform::cache`]): the
/// same query again (the same words, filters, page and language) is answered from memory.
pub async fn search(
    state: &AppState,
    ctx: &RequestCtx,
    f: SearchFilter,
) -> AppResult<SearchResult> {
    let p = ctx.principal()?;
    p.require("inventory:search")?;
    let key = format!(
        "{}\u{1f}{}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        locale_code(ctx.locale),
        f.q.as_deref().map(str::trim).unwrap_or_default(),
        f.category_id,
        f.plant.as_deref().map(str::trim).unwrap_or_default(),
        f.in_stock,
        f.page,
        f.per_page
    );
    let result = state
        .caches
        .get_or_load::<SearchResults, _>(
            p.tenant_id,
            key,
            search_database(state, ctx, f, crate::platform::paging::MAX_PER_PAGE),
        )
        .await?;
    Ok((*result).clone())
}

/// Every item the search finds with these filters (all its pages, in its order), up to `limit`:
/// for an export. Without words, read in pages of [`EXPORT_PAGE`]; with words, as many as a
/// search reads ([`crate::inventory::model::SEARCH_MAX`] word matches; `more` tells there were more). Not kept in the
/// cache.
pub async fn search_all(
    state: &AppState,
    ctx: &RequestCtx,
    f: SearchFilter,
    limit: u32,
) -> AppResult<SearchResult> {
    let p = ctx.principal()?;
    p.require("inventory:search")?;
    let words = f.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    if words {
        let f = SearchFilter {
            page: 1,
            per_page: limit,
            ..f
        };
        return search_database(state, ctx, f, limit).await;
    }
    let per_page = EXPORT_PAGE.min(limit.max(1));
    let mut all: Option<SearchResult> = None;
    for page in 1.. {
        let part = search_database(
            state,
            ctx,
            SearchFilter {
                page,
                per_page,
                ..f.clone()
            },
            per_page,
        )
        .await?;
        let last = part.rows.len() < per_page as usize;
        let result = match all.as_mut() {
            None => all.insert(part),
            Some(all) => {
                all.rows.extend(part.rows);
                all
            }
        };
        if last || result.rows.len() >= limit as usize {
            result.rows.truncate(limit as usize);
            break;
        }
    }
    let mut result = all.ok_or(AppError::Internal)?;
    result.page = 1;
    result.per_page = limit;
    Ok(result)
}

/// The page size of [`search_all`] without words.
const EXPORT_PAGE: u32 = 1_000;

/// A page of at most `max_per_page` items.
async fn search_database(
    state: &AppState,
    ctx: &RequestCtx,
    f: SearchFilter,
    max_per_page: u32,
) -> AppResult<SearchResult> {
    let p = ctx.principal()?;
    let per_page = f.per_page.clamp(1, max_per_page.max(1));
    let page = f.page.max(1);
    let offset = (page - 1).saturating_mul(per_page);
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| q.chars().take(100).collect::<String>());
    let plant = f.plant.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let lang = locale_code(ctx.locale);
    let found: repo::Found = match &q {
        Some(text) => {
            // SKU prefixes, parts of SKUs, words, words corrected; ranked, counted and paged
            let (sku_from, sku_to) = sku_range(text);
            let part = sku_from
                .as_ref()
                .filter(|_| text.chars().count() >= 3)
                .map(|from| format!("%{}%", from.replace('_', "\\_")));
            repo::search_results(
                &state.search_pool,
                SearchArgs {
                    tenant_id: p.tenant_id,
                    text,
                    category_id: f.category_id,
                    plant,
                    in_stock: f.in_stock,
                    sku_from: sku_from.as_deref(),
                    sku_to: sku_to.as_deref(),
                    part: part.as_deref(),
                    typo_words: &typo_words(text),
                    typo_threshold: TYPO_THRESHOLD,
                    cap: search_cap(page, per_page) as i32,
                    block: SEARCH_BLOCK as i32,
                    offset: offset.min(1_000_000) as i32,
                    per_page: per_page as i32,
                },
            )
            .await?
        }
        None => {
            let mut tx = tenant_tx(&state.search_pool, p.tenant_id).await?;
            let total = repo::count_listed(&mut tx, f.category_id, plant, f.in_stock).await?;
            let page_ids = repo::listed_page(
                &mut tx,
                f.category_id,
                plant,
                f.in_stock,
                per_page as i64,
                offset as i64,
            )
            .await?;
            tx.commit().await?;
            let (details, stock) =
                repo::search_page(&state.search_pool, p.tenant_id, &page_ids).await?;
            repo::Found {
                total: i32::try_from(total).unwrap_or(i32::MAX),
                more: false,
                page_scores: vec![0.0; page_ids.len()],
                page_ids,
                details,
                stock,
                categories: Json(Vec::new()),
                plants: Json(Vec::new()),
            }
        }
    };
    let stock = found
        .stock
        .0
        .into_iter()
        .map(|s| {
            let quantity = |v: &str| v.parse::<Decimal>().map_err(|_| AppError::Internal);
            Ok((
                s.item_id,
                s.plant,
                quantity(&s.on_hand)?,
                quantity(&s.available)?,
            ))
        })
        .collect::<AppResult<Vec<(Uuid, String, Decimal, Decimal)>>>()?;
    let mut facets = Facets::default();
    if q.is_some() && found.total > 0 {
        facets.categories = found
            .categories
            .0
            .iter()
            .map(|c| FacetCount {
                value: c.id.to_string(),
                label: pick(&c.names, lang).unwrap_or_default().to_string(),
                count: c.items.max(0) as u64,
            })
            .collect();
        facets
            .categories
            .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        // items with stock available per plant, and over all plants (the empty grouping set)
        let plants = found.plants.0;
        let in_stock: i64 = plants
            .iter()
            .find(|p| match plant {
                Some(code) => p.code.as_deref() == Some(code),
                None => p.code.is_none(),
            })
            .map(|p| p.items)
            .unwrap_or(0);
        let mut plants: Vec<(String, String, i64)> = plants
            .into_iter()
            .filter_map(|p| Some((p.code?, p.name.unwrap_or_default(), p.items)))
            .collect();
        plants.sort();
        facets.plants = plants
            .into_iter()
            .map(|(code, name, n)| FacetCount {
                value: code,
                label: name,
                count: n.max(0) as u64,
            })
            .collect();
        facets.in_stock = in_stock.max(0) as u64;
    }
    let mut by_id: BTreeMap<Uuid, SearchSql> =
        found.details.0.into_iter().map(|d| (d.id, d)).collect();
    let rows = found
        .page_ids
        .iter()
        .zip(found.page_scores.iter().copied())
        .filter_map(|(id, score)| by_id.remove(id).map(|r| (r, score)))
        .map(|(r, score)| {
            let mine: Vec<PlantStock> = stock
                .iter()
                .filter(|s| s.0 == r.id)
                .filter(|s| plant.is_none_or(|p| p == s.1))
                .map(|s| PlantStock {
                    plant: s.1.clone(),
                    on_hand: s.2.normalize(),
                    available: s.3.normalize(),
                })
                .collect();
            SearchRow {
                id: r.id,
                name: pick(&r.names, lang).unwrap_or_default().to_string(),
                description: pick(&r.descriptions, lang).map(str::to_string),
                category: r
                    .category_names
                    .as_ref()
                    .or_else(|| {
                        let id = r.category_id?;
                        found
                            .categories
                            .0
                            .iter()
                            .find(|c| c.id == id)
                            .map(|c| &c.names)
                    })
                    .and_then(|n| pick(n, lang))
                    .map(str::to_string),
                sku: r.sku,
                unit: r.unit,
                on_hand: mine.iter().map(|s| s.on_hand).sum::<Decimal>().normalize(),
                available: mine
                    .iter()
                    .map(|s| s.available)
                    .sum::<Decimal>()
                    .normalize(),
                score,
                stock: mine,
            }
        })
        .collect();
    Ok(SearchResult {
        rows,
        total: found.total.max(0) as u64,
        more: found.more,
        page,
        per_page,
        facets,
    })
}

/// The index range of SKUs starting with what was typed, when it could start a SKU at all (the
/// text-pattern operators use the index with a bound parameter, which a LIKE pattern built in SQL
/// cannot).
fn sku_range(text: &str) -> (Option<String>, Option<String>) {
    let prefix = text.trim().to_uppercase();
    if prefix.is_empty() || !valid_sku(&prefix) {
        return (None, None);
    }
    let mut upper = prefix.clone();
    upper.push(char::MAX);
    (Some(prefix), Some(upper))
}

/// The words of `text` cleaned for tsquery syntax (quotes and operators dropped), lower-cased.
fn query_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| {
                    !matches!(
                        c,
                        '&' | '|'
                            | '!'
                            | '('
                            | ')'
                            | ':'
                            | '*'
                            | '\''
                            | '\\'
                            | '<'
                            | '>'
                            | ','
                            | '"'
                    )
                })
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .take(8)
        .collect()
}

/// `'ball' & ('bearing' | 'bearings')` for words being typed: every word as typed, the last one
/// completed with up to five words of the company's item names that start with it. None when
/// the last word starts no known word.
async fn completed(tx: &mut Tx, text: &str) -> AppResult<Option<String>> {
    let mut words = query_words(text);
    let Some(last) = words.pop() else {
        return Ok(None);
    };
    let mut upper = last.clone();
    upper.push(char::MAX);
    let terms = repo::terms_between(tx, &last, &upper).await?;
    if terms.is_empty() {
        return Ok(None);
    }
    let alternatives = terms
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(" | ");
    let mut parts: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    parts.push(format!("({alternatives})"));
    Ok(Some(parts.join(" & ")))
}

/// Type-ahead: up to 10 items by SKU prefix, then by words being typed (the last one as a
/// prefix), then — when those find too little — by the typed words corrected; best first.
pub async fn suggest(state: &AppState, ctx: &RequestCtx, q: &str) -> AppResult<Vec<Suggestion>> {
    let p = ctx.principal()?;
    p.require("inventory:search")?;
    let q: String = q.trim().chars().take(100).collect();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let lang = locale_code(ctx.locale);
    let mut tx = tenant_tx(&state.search_pool, p.tenant_id).await?;
    repo::read_through_indexes(&mut tx).await?;
    let (sku_from, sku_to) = sku_range(&q);
    let mut rows: Vec<SuggestRow> = match (&sku_from, &sku_to) {
        (Some(from), Some(to)) => repo::suggest_by_sku(&mut tx, from, to).await?,
        _ => Vec::new(),
    };
    // one word being typed: the items kept with the words of the company's vocabulary that start
    // with it (shortest words first), read by key
    let typed = query_words(&q);
    if let [word] = typed.as_slice() {
        let mut upper = word.clone();
        upper.push(char::MAX);
        let found = repo::suggest_by_word(&mut tx, word, &upper).await?;
        rows.extend(found);
    } else if let Some(words) = completed(&mut tx, &q).await? {
        // several words: the last one completed, all of them through the full-text index
        let found = repo::suggest_by_words(&mut tx, &words).await?;
        rows.extend(found);
    }
    // nothing starts like that: the words may be misspelled
    if rows.len() < 10 {
        if let Some(fixed) = corrected(&mut tx, &q).await? {
            let more = repo::suggest_corrected(&mut tx, &fixed).await?;
            rows.extend(more);
        }
    }
    rows.sort_by(|a, b| b.3.total_cmp(&a.3).then_with(|| a.1.cmp(&b.1)));
    tx.commit().await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(id, _, _, _)| seen.insert(*id))
        .take(10)
        .map(|(id, sku, names, _)| Suggestion {
            id,
            name: pick(&names.0, lang).unwrap_or_default().to_string(),
            sku,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_are_cleaned_and_skus_become_a_range() {
        assert_eq!(query_words("Ball BEA"), vec!["ball", "bea"]);
        assert_eq!(query_words("it's (x)"), vec!["its", "x"]);
        assert!(query_words(" :* ").is_empty());
        assert_eq!(query_words("बेयरिं"), vec!["बेयरिं"]);
        let (from, to) = sku_range("brg-62");
        assert_eq!(from.as_deref(), Some("BRG-62"));
        assert!(to.is_some_and(|t| t.as_str() > "BRG-62ZZZ" && t.starts_with("BRG-62")));
        assert_eq!(sku_range("ball bearing"), (None, None));
    }
}
