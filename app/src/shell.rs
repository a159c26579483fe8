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
    lazy_route, path, Lazy, LazyRoute, SsrMode,
};

/// A page whose code is loaded when it is first visited: each is split out of the main wasm
/// bundle into its own chunk (`cargo leptos build --split`, and `scripts/tools.sh` for the debug
/// bundle), so the first load carries the shell and the home page only. The page fetches its own
/// data, as before.
macro_rules! lazy_page {
    ($($route:ident => $page:path),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    PasswordPageRoute => PasswordPage,
    TokensPageRoute => TokensPage,
    ModulePageRoute => ModulePage,
    RequisitionsPageRoute => RequisitionsPage,
    NewRequisitionPageRoute => NewRequisitionPage,
    RequisitionPageRoute => RequisitionPage,
    EditRequisitionPageRoute => EditRequisitionPage,
    OrdersPageRoute => crate::procurement::ui::orders::OrdersPage,
    GenerateOrdersPageRoute => crate::procurement::ui::orders::GenerateOrdersPage,
    OrderPageRoute => crate::procurement::ui::orders::OrderPage,
    SuppliersPageRoute => crate::procurement::ui::masters::SuppliersPage,
    SupplierPageRoute => crate::procurement::ui::masters::SupplierPage,
    ProjectsPageRoute => crate::procurement::ui::masters::ProjectsPage,
    InventoryPageRoute => crate::inventory::ui::InventoryPage,
    ReceivePageRoute => crate::inventory::ui::ReceivePage,
    ReceiptPageRoute => crate::inventory::ui::ReceiptPage,
    UidPageRoute => crate::inventory::ui::UidPage,
    ItemPageRoute => crate::inventory::ui_item::ItemPage,
    LabelsPageRoute => crate::inventory::ui_item::LabelsPage,
    ImportPageRoute => crate::inventory::ui_item::ImportPage,
    ImportJobPageRoute => crate::inventory::ui_item::ImportJobPage,
    ApprovalsPageRoute => ApprovalsPage,
    DelegationsPageRoute => crate::procurement::ui::masters::DelegationsPage,
    ApprovalRulesPageRoute => crate::approvals::ui::ApprovalRulesPage,
    NotificationsPageRoute => crate::platform::ui::notifications::NotificationsPage,
}

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
                        <Route path=path!("account/password") view={Lazy::<PasswordPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/tokens") view={Lazy::<TokensPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("m/:module") view={Lazy::<ModulePageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions") view={Lazy::<RequisitionsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions/new") view={Lazy::<NewRequisitionPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions/:id") view={Lazy::<RequisitionPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/requisitions/:id/edit") view={Lazy::<EditRequisitionPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/orders") view={Lazy::<OrdersPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/orders/generate") view={Lazy::<GenerateOrdersPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/orders/:id") view={Lazy::<OrderPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/suppliers") view={Lazy::<SuppliersPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/suppliers/new") view={Lazy::<SupplierPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/suppliers/:id") view={Lazy::<SupplierPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("procurement/projects") view={Lazy::<ProjectsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory") view={Lazy::<InventoryPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/receive") view={Lazy::<ReceivePageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/receipts/:id") view={Lazy::<ReceiptPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/uids") view={Lazy::<UidPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/uids/:uid") view={Lazy::<UidPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/items/:id") view={Lazy::<ItemPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/labels") view={Lazy::<LabelsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/import") view={Lazy::<ImportPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/import/:id") view={Lazy::<ImportJobPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("approvals") view={Lazy::<ApprovalsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("approvals/delegations") view={Lazy::<DelegationsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/approval-rules") view={Lazy::<ApprovalRulesPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("notifications") view={Lazy::<NotificationsPageRoute>::new()} ssr=SsrMode::Async />
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
