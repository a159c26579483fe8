//! Paging for every list: a page of rows with the total it was cut from, the same shape through
//! REST and the server functions.
use serde::{Deserialize, Serialize};

/// Rows per page when a list asks for none, and the most a list answers at once.
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}
