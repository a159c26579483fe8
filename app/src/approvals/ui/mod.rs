//! The approvals' pages: the inbox of every kind of document, delegation, and the rules admin
//! page.
pub mod delegations;
pub mod inbox;
pub mod rules;

pub use delegations::DelegationsPage;
pub use inbox::ApprovalsPage;
pub use rules::ApprovalRulesPage;
