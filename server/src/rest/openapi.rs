//! The OpenAPI 3 document, generated from the handlers' annotations.
use super::contract::CommonErrors;
use super::{
    account, attachments, audit, auth, finance, inventory, invoices, masters, notifications,
    orders, places, procurement, settings, signup, suppliers, tally, units, users,
};
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Millwright ERP API", version = "1.0.0",
        description = "REST API of Millwright. JSON in and out; money and quantities are decimal strings; errors carry stable codes and a message in the caller's language. State-changing requests with a session cookie must come from the site itself (Origin); bearer-token clients are exempt. Every answer carries `X-Request-Id` (the one sent, else a new one). Lists take `page` (from 1) and `per_page` (1 to 100, default 20); out of range is 422 naming the parameter."),
    paths(
        auth::login, auth::logout, auth::me, auth::set_language, auth::change_password,
        auth::create_token, auth::list_tokens, auth::revoke_token,
        auth::totp_setup, auth::totp_enable, auth::totp_disable,
        suppliers::list_suppliers, suppliers::create_supplier, suppliers::get_supplier, suppliers::update_supplier,
        procurement::list_requisitions, procurement::create_requisition, procurement::get_requisition,
        procurement::update_requisition, procurement::delete_requisition, procurement::submit, procurement::approve,
        procurement::reject, procurement::send_back, procurement::pending,
        orders::list, orders::generate, orders::orderable, orders::get_one, orders::pdf, orders::approve,
        orders::reject, orders::send, orders::set_status, orders::dashboard,
        masters::list_projects, masters::create_project, masters::get_project, masters::update_project,
        masters::list_delegations, masters::create_delegation, masters::revoke_delegation,
        masters::list_rules, masters::create_rule, masters::update_rule,
        attachments::list, attachments::upload, attachments::download, attachments::remove,
        inventory::search, inventory::suggest, inventory::list_items, inventory::create_item, inventory::get_item,
        inventory::update_item, inventory::locations, inventory::receive, inventory::get_receipt, inventory::accept,
        inventory::move_stock, inventory::issue, inventory::transfer, inventory::receive_transfer, inventory::movements,
        inventory::uid, inventory::uid_qr, inventory::item_stock, inventory::adjust, inventory::reverse,
        inventory::import_items, inventory::job,
        notifications::list, notifications::mark_read, notifications::stream,
        signup::signup,
        settings::get_tenant, settings::put_tenant, settings::list_companies, settings::create_company,
        settings::get_company, settings::update_company, settings::list_plants, settings::create_plant,
        settings::get_plant, settings::update_plant, settings::list_departments, settings::create_department,
        settings::get_department, settings::update_department, settings::list_cost_centres,
        settings::create_cost_centre, settings::get_cost_centre, settings::update_cost_centre,
        account::request_reset, account::confirm_reset, account::list_sessions, account::end_session,
        account::end_user_sessions,
        audit::list,
        users::list_users, users::create_user, users::get_user, users::update_user, users::deactivate,
        users::activate, users::unlock, users::send_password_reset, users::import_users,
        users::permissions, users::list_roles, users::create_role, users::get_role, users::update_role,
        users::delete_role,
        places::list_categories, places::create_category, places::get_category,
        places::update_category, places::create_location, places::get_location, places::update_location,
        units::list_units, units::create_unit, units::get_unit, units::update_unit, units::list_conversions,
        units::create_conversion, units::update_conversion, units::delete_conversion,
        finance::list_accounts, finance::get_account, finance::create_account, finance::update_account,
        finance::import_accounts, finance::list_years, finance::create_year, finance::close_period,
        finance::reopen_period, finance::list_entries, finance::get_entry, finance::create_entry,
        finance::reverse_entry, super::reports::trial_balance, super::reports::general_ledger,
        super::reports::grni, super::reports::ap_ageing, super::reports::supplier_statement,
        super::reports::input_tax,
        invoices::list, invoices::billable, invoices::create, invoices::get_one, invoices::submit, invoices::approve,
        invoices::reject, invoices::hold, invoices::release, invoices::cancel,
        invoices::list_payments, invoices::create_payment, invoices::get_payment,
        invoices::propose_run, invoices::get_run, invoices::approve_run, invoices::bank_file,
        super::invoice_files::list, super::invoice_files::upload, super::invoice_files::download,
        super::invoice_files::remove,
        tally::export,
        crate::rest::fpay::list_runs, crate::rest::fpay::set_run_line, crate::rest::fpay::summary,
        crate::ops::health, crate::ops::ready, crate::ops::metrics_text,
    ),
    modifiers(&Security, &CommonErrors),
    tags((name = "auth", description = "Sessions, the caller, API tokens"), (name = "procurement", description = "Suppliers, requisitions, approvals"), (name = "purchasing", description = "Purchase orders"), (name = "inventory", description = "Item master, search, locations"), (name = "notifications", description = "In-app notifications, live"), (name = "ops", description = "Liveness, readiness, metrics"), (name = "administration", description = "Sign-up, the tenant, users, roles, the audit log"), (name = "finance", description = "The chart of accounts, fiscal periods, the journal and the accountant's reports"))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("mw_session"))),
        );
    }
}

pub async fn document() -> impl IntoResponse {
    axum::Json(ApiDoc::openapi())
}
