//! SQL of the inventory slice: one statement per helper, run on the connection the caller hands
//! in (its tenant transaction's; search's on the search pool). The rules live in `service`.
pub(crate) mod import;
pub(crate) mod items;
pub(crate) mod ledger;
pub(crate) mod locations;
pub(crate) mod receipts;
pub(crate) mod search;
pub(crate) mod stock;
pub(crate) mod stock_reads;
pub(crate) mod units;
pub(crate) mod valuation;
