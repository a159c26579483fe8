//! The HTML document and the router: every page of the product hangs from here.
use crate::i18n::*;
use crate::platform::api::get_session_user;
use crate::platform::navigation::{DocPage, Module, Navigation};
use crate::platform::ui::{
    account::{PasswordPage, TokensPage, TwoFactorPage},
    home::{with_user, Greeting, Home, ModulePage},
    layout::AuthedLayout,
    login::LoginPage,
    pages::{NotFound, OfflinePage},
    signup::SignUpPage,
};
use crate::procurement::ui::{
    detail::RequisitionPage,
    form::{EditRequisitionPage, NewRequisitionPage},
    list::RequisitionsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, Lazy, LazyRoute, SsrMode,
};

/// Every kind of document the approval engine routes, one registration per slice's document.
#[cfg(feature = "ssr")]
static DOCUMENTS: [&crate::approvals::registry::DocKind; 3] = [
    &crate::procurement::service::REQUISITION_KIND,
    &crate::procurement::service::orders::PURCHASE_ORDER_KIND,
    &crate::finance::service::invoices::INVOICE_KIND,
];

/// What each slice gives a new tenant in its creating transaction, in order.
#[cfg(feature = "ssr")]
static PROVISIONERS: [&crate::platform::onboarding::Provisioner; 4] = [
    &crate::approvals::service::engine::DEFAULT_RULES,
    &crate::inventory::service::onboarding::FIRST_WAREHOUSE,
    &crate::inventory::service::units::STARTER_UNITS,
    &crate::finance::service::setup::BOOKS,
];

/// The navigation's modules, in order, and the page of each kind of document: the slices'
/// registrations with the platform. Reports open a page that says they are coming.
static NAVIGATION: Navigation = Navigation {
    modules: &[
        Module {
            slug: "procurement",
            href: "/procurement/requisitions",
            any_of: &[
                "requisition:create",
                "requisition:view",
                "po:create",
                "po:view",
            ],
            label: |l| td_string!(l, nav.procurement).to_string(),
        },
        Module {
            slug: "approvals",
            href: "/approvals",
            any_of: &["requisition:approve", "po:approve"],
            label: |l| td_string!(l, nav.approvals).to_string(),
        },
        Module {
            slug: "inventory",
            href: "/inventory",
            any_of: &["inventory:search", "inventory:view", "goods:receive"],
            label: |l| td_string!(l, nav.inventory).to_string(),
        },
        Module {
            slug: "finance",
            href: "/finance",
            any_of: &[
                "invoice:create",
                "payment:process",
                "accounting:manage",
                "reports:financial",
            ],
            label: |l| td_string!(l, nav.finance).to_string(),
        },
        Module {
            slug: "reports",
            href: "/m/reports",
            any_of: &["reports:view", "reports:financial"],
            label: |l| td_string!(l, nav.reports).to_string(),
        },
        Module {
            slug: "admin",
            href: "/admin/approval-rules",
            any_of: &[
                "approval_rule:manage",
                "user:manage",
                "role:manage",
                "tenant:manage",
            ],
            label: |l| td_string!(l, nav.admin).to_string(),
        },
        // administrators and executives read the trail (executives hold no other administration)
        Module {
            slug: "audit",
            href: "/admin/audit",
            any_of: &["audit:view"],
            label: |l| td_string!(l, auditlog.nav).to_string(),
        },
    ],
    pages: &[
        DocPage {
            doc_type: "requisition",
            href: |id| format!("/procurement/requisitions/{id}"),
        },
        DocPage {
            doc_type: "purchase_order",
            href: |id| format!("/procurement/orders/{id}"),
        },
        DocPage {
            doc_type: "invoice",
            href: |id| format!("/finance/invoices/{id}"),
        },
        DocPage {
            doc_type: "goods_receipt",
            href: |id| format!("/inventory/receipts/{id}"),
        },
        // a low-stock notification proposes a requisition for the item
        DocPage {
            doc_type: "item",
            href: |id| format!("/procurement/requisitions/new?item={id}"),
        },
    ],
};

/// Installs the slices' registrations (documents for the approval engine, the navigation)
/// before the server or a seed uses them; a second call changes nothing.
#[cfg(feature = "ssr")]
pub fn install() {
    crate::approvals::registry::install(&DOCUMENTS);
    crate::platform::onboarding::install(&PROVISIONERS);
    crate::platform::navigation::install(&NAVIGATION);
    crate::platform::stock_events::install(crate::finance::service::stock::recorder);
}

/// The home page: the platform's greeting, each slice's cards for what the user may see, then the
/// platform's roles, modules and settings.
#[component]
fn HomePage() -> impl IntoView {
    // created here, at page level, so it hydrates (see the requisition list)
    let dash = Resource::new(|| (), |_| crate::procurement::api::get_dashboard());
    view! {
        {with_user(|user| view! { <Greeting user=user /> }.into_any())}
        <crate::procurement::ui::dashboard::DashboardCards dash=dash />
        {with_user(|user| view! { <Home user=user /> }.into_any())}
    }
}

/// The pages of each area of the product are loaded together when one of them is first visited
/// (or preloaded with the HTML of a page requested directly): four lazily loaded modules
/// (procurement and approvals, inventory, finance, account and notifications) split out of the main wasm
/// bundle by `cargo leptos build --split` (and `tools/wasm-splitter` for the debug bundle), so the
/// first load carries the shell, sign-in and home only. One module per area rather than per page:
/// pages of an area share most of their code, and per-page modules came as dozens of small shared
/// chunks per visit. The pages fetch their own data, as before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcurementPage {
    Requisitions,
    NewRequisition,
    Requisition,
    EditRequisition,
    Orders,
    GenerateOrders,
    Order,
    Suppliers,
    Supplier,
    Projects,
    Approvals,
    Delegations,
    ApprovalRules,
}

#[leptos::lazy]
fn procurement_pages(page: ProcurementPage) -> AnyView {
    use crate::procurement::ui::{masters, orders};
    use ProcurementPage as P;
    match page {
        P::Requisitions => view! { <RequisitionsPage /> }.into_any(),
        P::NewRequisition => view! { <NewRequisitionPage /> }.into_any(),
        P::Requisition => view! { <RequisitionPage /> }.into_any(),
        P::EditRequisition => view! { <EditRequisitionPage /> }.into_any(),
        P::Orders => view! { <orders::OrdersPage /> }.into_any(),
        P::GenerateOrders => view! { <orders::GenerateOrdersPage /> }.into_any(),
        P::Order => view! { <orders::OrderPage /> }.into_any(),
        P::Suppliers => view! { <masters::SuppliersPage /> }.into_any(),
        P::Supplier => view! { <masters::SupplierPage /> }.into_any(),
        P::Projects => view! { <masters::ProjectsPage /> }.into_any(),
        P::Approvals => view! { <crate::approvals::ui::ApprovalsPage /> }.into_any(),
        P::Delegations => view! { <crate::approvals::ui::DelegationsPage /> }.into_any(),
        P::ApprovalRules => view! { <crate::approvals::ui::ApprovalRulesPage /> }.into_any(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InventoryPage {
    Inventory,
    Receive,
    Receipt,
    Uid,
    Item,
    ItemEditor,
    Labels,
    Import,
    ImportJob,
    Categories,
    Locations,
    LocationLabels,
    Units,
}

#[leptos::lazy]
fn inventory_pages(page: InventoryPage) -> AnyView {
    use crate::inventory::places::ui as places;
    use crate::inventory::ui::{self, editor, import, item};
    use InventoryPage as P;
    match page {
        P::Inventory => view! { <ui::InventoryPage /> }.into_any(),
        P::Receive => view! { <ui::ReceivePage /> }.into_any(),
        P::Receipt => view! { <ui::ReceiptPage /> }.into_any(),
        P::Uid => view! { <ui::UidPage /> }.into_any(),
        // `/inventory/items/new` is this route too: one route for both, so that the server and the
        // browser never pick different pages for it (a hydration error when they did)
        P::Item => view! { <editor::ItemOrNewPage /> }.into_any(),
        P::ItemEditor => view! { <ui::editor::ItemEditorPage /> }.into_any(),
        P::Labels => view! { <item::LabelsPage /> }.into_any(),
        P::Import => view! { <import::ImportPage /> }.into_any(),
        P::ImportJob => view! { <import::ImportJobPage /> }.into_any(),
        P::Categories => view! { <places::CategoriesPage /> }.into_any(),
        P::Locations => view! { <places::LocationsPage /> }.into_any(),
        P::LocationLabels => view! { <places::LocationLabelsPage /> }.into_any(),
        P::Units => view! { <ui::units::UnitsPage /> }.into_any(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinancePage {
    Home,
    Accounts,
    Journal,
    Periods,
    TrialBalance,
    Tally,
    Invoices,
    NewInvoice,
    Invoice,
    Reports,
    ApAgeing,
    Grni,
    GeneralLedger,
    SupplierStatement,
    InputTax,
}

#[leptos::lazy]
fn finance_pages(page: FinancePage) -> AnyView {
    use crate::finance::ui::{self, accounts, journal, periods, reports, tally, trial_balance};
    use FinancePage as P;
    match page {
        P::Home => view! { <ui::FinanceHomePage /> }.into_any(),
        P::Accounts => view! { <accounts::AccountsPage /> }.into_any(),
        P::Journal => view! { <journal::JournalPage /> }.into_any(),
        P::Periods => view! { <periods::PeriodsPage /> }.into_any(),
        P::TrialBalance => view! { <trial_balance::TrialBalancePage /> }.into_any(),
        P::Tally => view! { <tally::TallyPage /> }.into_any(),
        P::Invoices => view! { <ui::invoices::InvoicesPage /> }.into_any(),
        P::NewInvoice => view! { <ui::invoice_form::NewInvoicePage /> }.into_any(),
        P::Invoice => view! { <ui::invoices::InvoicePage /> }.into_any(),
        P::Reports => view! { <reports::ReportsPage /> }.into_any(),
        P::ApAgeing => view! { <reports::ApAgeingPage /> }.into_any(),
        P::Grni => view! { <reports::GrniPage /> }.into_any(),
        P::GeneralLedger => view! { <reports::GeneralLedgerPage /> }.into_any(),
        P::SupplierStatement => view! { <reports::SupplierStatementPage /> }.into_any(),
        P::InputTax => view! { <reports::InputTaxPage /> }.into_any(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountPage {
    Password,
    Tokens,
    TwoFactor,
    Sessions,
    Module,
    Notifications,
    Setup,
    Settings,
    Audit,
    Users,
    User,
    ImportUsers,
    Roles,
    Role,
}

#[leptos::lazy]
fn account_pages(page: AccountPage) -> AnyView {
    use crate::platform::ui::admin;
    use AccountPage as P;
    match page {
        P::Password => view! { <PasswordPage /> }.into_any(),
        P::Tokens => view! { <TokensPage /> }.into_any(),
        P::TwoFactor => view! { <TwoFactorPage /> }.into_any(),
        P::Sessions => view! { <crate::platform::ui::sessions::SessionsPage /> }.into_any(),
        P::Module => view! { <ModulePage /> }.into_any(),
        P::Notifications => {
            view! { <crate::platform::ui::notifications::NotificationsPage /> }.into_any()
        }
        P::Setup => view! { <crate::platform::ui::setup::SetupPage /> }.into_any(),
        P::Settings => view! { <crate::platform::ui::setup::SettingsPage /> }.into_any(),
        P::Audit => view! { <crate::platform::ui::audit::AuditPage /> }.into_any(),
        P::Users => view! { <admin::UsersPage /> }.into_any(),
        P::User => view! { <admin::UserPage /> }.into_any(),
        P::ImportUsers => view! { <admin::ImportUsersPage /> }.into_any(),
        P::Roles => view! { <admin::RolesPage /> }.into_any(),
        P::Role => view! { <admin::RolePage /> }.into_any(),
    }
}

/// Routes to the pages of an area: the view is the area's lazily loaded module, which the router
/// loads (`preload`) before it hydrates or shows the page.
macro_rules! lazy_pages {
    ($area:ident, $preload:ident, $pages:ident: $($route:ident => $page:ident),* $(,)?) => {$(
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(this: Self) -> AnyView {
                let _ = this;
                $area($pages::$page).await
            }

            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                $preload().await;
            }
        }
    )*};
}

lazy_pages! { account_pages, __preload_account_pages, AccountPage:
    PasswordPageRoute => Password,
    TokensPageRoute => Tokens,
    TwoFactorPageRoute => TwoFactor,
    SessionsPageRoute => Sessions,
    ModulePageRoute => Module,
    NotificationsPageRoute => Notifications,
    SetupPageRoute => Setup,
    SettingsPageRoute => Settings,
    AuditPageRoute => Audit,
    UsersPageRoute => Users,
    UserPageRoute => User,
    ImportUsersPageRoute => ImportUsers,
    RolesPageRoute => Roles,
    RolePageRoute => Role,
}

lazy_pages! { procurement_pages, __preload_procurement_pages, ProcurementPage:
    RequisitionsPageRoute => Requisitions,
    NewRequisitionPageRoute => NewRequisition,
    RequisitionPageRoute => Requisition,
    EditRequisitionPageRoute => EditRequisition,
    OrdersPageRoute => Orders,
    GenerateOrdersPageRoute => GenerateOrders,
    OrderPageRoute => Order,
    SuppliersPageRoute => Suppliers,
    SupplierPageRoute => Supplier,
    ProjectsPageRoute => Projects,
    ApprovalsPageRoute => Approvals,
    DelegationsPageRoute => Delegations,
    ApprovalRulesPageRoute => ApprovalRules,
}

lazy_pages! { inventory_pages, __preload_inventory_pages, InventoryPage:
    InventoryPageRoute => Inventory,
    ReceivePageRoute => Receive,
    ReceiptPageRoute => Receipt,
    UidPageRoute => Uid,
    ItemPageRoute => Item,
    ItemEditorPageRoute => ItemEditor,
    LabelsPageRoute => Labels,
    ImportPageRoute => Import,
    ImportJobPageRoute => ImportJob,
    CategoriesPageRoute => Categories,
    LocationsPageRoute => Locations,
    LocationLabelsPageRoute => LocationLabels,
    UnitsPageRoute => Units,
}

lazy_pages! { finance_pages, __preload_finance_pages, FinancePage:
    FinanceHomePageRoute => Home,
    AccountsPageRoute => Accounts,
    JournalPageRoute => Journal,
    PeriodsPageRoute => Periods,
    TrialBalancePageRoute => TrialBalance,
    TallyPageRoute => Tally,
    InvoicesPageRoute => Invoices,
    NewInvoicePageRoute => NewInvoice,
    InvoicePageRoute => Invoice,
    ReportsPageRoute => Reports,
    ApAgeingPageRoute => ApAgeing,
    GrniPageRoute => Grni,
    GeneralLedgerPageRoute => GeneralLedger,
    SupplierStatementPageRoute => SupplierStatement,
    InputTaxPageRoute => InputTax,
}

/// The payment screens (brief pay-ui): their own lazily loaded module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayPage {
    Payments,
    Runs,
    Run,
}

#[leptos::lazy]
fn pay_pages(page: PayPage) -> AnyView {
    use crate::finance::ui::{payments, runs};
    match page {
        PayPage::Payments => view! { <payments::PaymentsPage /> }.into_any(),
        PayPage::Runs => view! { <runs::PaymentRunsPage /> }.into_any(),
        PayPage::Run => view! { <runs::PaymentRunPage /> }.into_any(),
    }
}

lazy_pages! { pay_pages, __preload_pay_pages, PayPage:
    PaymentsPageRoute => Payments,
    PaymentRunsPageRoute => Runs,
    PaymentRunPageRoute => Run,
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
    // the browser's registrations (the server's were installed at start-up)
    crate::platform::navigation::install(&NAVIGATION);
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
                    <Route path=path!("/signup") view=SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/password-reset") view=crate::platform::ui::reset::PasswordResetPage ssr=SsrMode::Async />
                    <Route path=path!("/offline") view=OfflinePage ssr=SsrMode::Async />
                    <ParentRoute path=path!("") view=AuthedLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("account/password") view={Lazy::<PasswordPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/tokens") view={Lazy::<TokensPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/two-factor") view={Lazy::<TwoFactorPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("setup") view={Lazy::<SetupPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/settings") view={Lazy::<SettingsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/sessions") view={Lazy::<SessionsPageRoute>::new()} ssr=SsrMode::Async />
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
                        <Route path=path!("inventory/items/:id/edit") view={Lazy::<ItemEditorPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/labels") view={Lazy::<LabelsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/import") view={Lazy::<ImportPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/import/:id") view={Lazy::<ImportJobPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/categories") view={Lazy::<CategoriesPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/locations") view={Lazy::<LocationsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/locations/labels") view={Lazy::<LocationLabelsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("inventory/units") view={Lazy::<UnitsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance") view={Lazy::<FinanceHomePageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/accounts") view={Lazy::<AccountsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/journal") view={Lazy::<JournalPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/periods") view={Lazy::<PeriodsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/trial-balance") view={Lazy::<TrialBalancePageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/tally") view={Lazy::<TallyPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/payments") view={Lazy::<PaymentsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/payment-runs") view={Lazy::<PaymentRunsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/payment-runs/:id") view={Lazy::<PaymentRunPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/invoices") view={Lazy::<InvoicesPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/invoices/new") view={Lazy::<NewInvoicePageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/invoices/:id") view={Lazy::<InvoicePageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/reports") view={Lazy::<ReportsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/reports/ap-ageing") view={Lazy::<ApAgeingPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/reports/grni") view={Lazy::<GrniPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/reports/general-ledger") view={Lazy::<GeneralLedgerPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/reports/supplier-statement") view={Lazy::<SupplierStatementPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("finance/reports/input-tax") view={Lazy::<InputTaxPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("approvals") view={Lazy::<ApprovalsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("approvals/delegations") view={Lazy::<DelegationsPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/audit") view={Lazy::<AuditPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/approval-rules") view={Lazy::<ApprovalRulesPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users") view={Lazy::<UsersPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users/new") view={Lazy::<UserPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users/import") view={Lazy::<ImportUsersPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/users/:id") view={Lazy::<UserPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/roles") view={Lazy::<RolesPageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/roles/new") view={Lazy::<RolePageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("admin/roles/:id") view={Lazy::<RolePageRoute>::new()} ssr=SsrMode::Async />
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
