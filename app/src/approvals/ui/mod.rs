//! The approvals' pages: the inbox of every kind of document, and the rules admin page.
pub mod inbox;
pub mod rules;

pub use inbox::ApprovalsPage;
pub use rules::ApprovalRulesPage;
