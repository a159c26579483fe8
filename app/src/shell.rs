//! The HTML document and the router: every page of the product hangs from here.
use crate::i18n::*;
use crate::platform::api::get_session_user;
use crate::platform::ui::{
    account::{PasswordPage, TokensPage},
    home::{HomePage, ModulePage},
    layout::AuthedLayout,
    login::LoginPage,
    pages::{NotFound, OfflinePage},
};
use crate::procurement::ui::{
    detail::RequisitionPage,
    form::{EditRequisitionPage, NewRequisitionPage},
    inbox::ApprovalsPage,
    list::RequisitionsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options=options.clone() />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Pages render in async mode, so who is signed in is known before the first byte (redirects, status).
    let user = Resource::new(|| (), |_| get_session_user());
    provide_context(user);
    view! {
        <I18nContextProvider>
            <LocaleFromServer />
            <Head />
            <Router>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/offline") view=OfflinePage ssr=SsrMode::Async />
                    <ParentRoute path=path!("") view=AuthedLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("account/password") view=PasswordPage ssr=SsrMode::Async />
                        <Route path=path!("account/tokens") view=TokensPage ssr=SsrMode::Async />
                        <Route path=path!("m/:module") view=ModulePage ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions") view=RequisitionsPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions/new") view=NewRequisitionPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions/:id") view=RequisitionPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions/:id/edit") view=EditRequisitionPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/orders") view=crate::procurement::ui::orders::OrdersPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/orders/generate") view=crate::procurement::ui::orders::GenerateOrdersPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/orders/:id") view=crate::procurement::ui::orders::OrderPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/suppliers") view=crate::procurement::ui::masters::SuppliersPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/suppliers/new") view=crate::procurement::ui::masters::SupplierPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/suppliers/:id") view=crate::procurement::ui::masters::SupplierPage ssr=SsrMode::Async />
                        <Route path=path!("procurement/projects") view=crate::procurement::ui::masters::ProjectsPage ssr=SsrMode::Async />
                        <Route path=path!("inventory") view=crate::inventory::ui::InventoryPage ssr=SsrMode::Async />
                        <Route path=path!("inventory/receive") view=crate::inventory::ui::ReceivePage ssr=SsrMode::Async />
                        <Route path=path!("inventory/receipts/:id") view=crate::inventory::ui::ReceiptPage ssr=SsrMode::Async />
                        <Route path=path!("inventory/uids") view=crate::inventory::ui::UidPage ssr=SsrMode::Async />
                        <Route path=path!("inventory/uids/:uid") view=crate::inventory::ui::UidPage ssr=SsrMode::Async />
                        <Route path=path!("inventory/items/:id") view=crate::inventory::ui_item::ItemPage ssr=SsrMode::Async />
                        <Route path=path!("inventory/labels") view=crate::inventory::ui_item::LabelsPage ssr=SsrMode::Async />
                        <Route path=path!("inventory/import") view=crate::inventory::ui_item::ImportPage ssr=SsrMode::Async />
                        <Route path=path!("inventory/import/:id") view=crate::inventory::ui_item::ImportJobPage ssr=SsrMode::Async />
                        <Route path=path!("approvals") view=ApprovalsPage ssr=SsrMode::Async />
                        <Route path=path!("approvals/delegations") view=crate::procurement::ui::masters::DelegationsPage ssr=SsrMode::Async />
                        <Route path=path!("admin/approval-rules") view=crate::approvals::ui::ApprovalRulesPage ssr=SsrMode::Async />
                        <Route path=path!("notifications") view=crate::platform::ui::notifications::NotificationsPage ssr=SsrMode::Async />
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn Head() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Stylesheet id="leptos" href="/pkg/millwright.css" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="icon" href="/icons/icon-192.png" />
        <Link rel="apple-touch-icon" href="/icons/icon-192.png" />
        <Meta name="theme-color" content="#1e3a8a" />
        <Meta name="description" content=move || t_string!(i18n, tagline).to_string() />
        <Title text=move || t_string!(i18n, app_name).to_string() />
        <script src="/register-sw.js" defer></script>
        <script src="/scan.js" defer></script>
    }
}

/// On the server, the language decided for this request (the user's, else the visitor's cookie,
/// else Accept-Language) wins over leptos_i18n's own guess, so the first HTML is already right;
/// the browser then reads it back from `<html lang>`.
#[component]
fn LocaleFromServer() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Ok(ctx) = crate::platform::context::request_ctx() {
        let i18n = use_i18n();
        if i18n.get_locale_untracked() != ctx.locale {
            i18n.set_locale(ctx.locale);
        }
    }
}
