//! Procurement screens: requisition list, form and detail with its approval timeline, purchase
//! order generation, list and detail.
pub mod dashboard;
pub mod detail;
pub mod form;
pub mod labels;
pub mod list;
pub mod masters;
pub mod nav;
pub mod orders;
pub mod timeline;
