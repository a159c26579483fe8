//! Procurement screens: requisition list, form and detail with its approval timeline, and the
//! approval inbox, purchase order generation, list and detail.
pub mod dashboard;
pub mod detail;
pub mod form;
pub mod inbox;
pub mod labels;
pub mod list;
pub mod masters;
pub mod nav;
pub mod orders;
pub mod timeline;
