//! SQL of procurement: one statement per helper, run on the caller's connection (a tenant
//! transaction, `&mut **tx`), one file per seam. Rows that only SQL reads into live here; the
//! services keep the rules.
pub(crate) mod dashboard;
pub(crate) mod masters;
pub(crate) mod orders;
pub(crate) mod receiving;
pub(crate) mod requisitions;
pub(crate) mod suppliers;
