//! Procurement screens: requisition list, form and detail with its approval timeline, and the
//! approval inbox.
pub mod detail;
pub mod form;
pub mod inbox;
pub mod labels;
pub mod list;
