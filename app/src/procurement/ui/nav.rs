//! The procurement section's tabs: requisitions, ordering approved lines, purchase orders.
use crate::i18n::*;
use crate::platform::ui::widgets::use_user_resource;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ProcurementTabs() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user_resource();
    let tab = "rounded-md px-3 py-1.5 text-sm font-medium text-blue-900 hover:bg-blue-50 aria-[current=page]:bg-blue-800 aria-[current=page]:text-white";
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let u = user.await.ok().flatten();
                let can = |p: &str| u.as_ref().is_some_and(|u| u.can(p));
                let requisitions = can("requisition:create") || can("requisition:view");
                let generate = can("po:create");
                let orders = generate || can("po:view") || can("po:approve") || can("requisition:create");
                let suppliers = can("supplier:manage") || can("requisition:create");
                let projects = can("project:manage");
                view! {
                    <nav class="mb-4 flex flex-wrap gap-2 border-b border-slate-200 pb-2 print:hidden" aria-label=move || t_string!(i18n, nav.procurement).to_string()>
                        {requisitions.then(|| view! { <A href="/procurement/requisitions" exact=true attr:class=tab>{t!(i18n, nav.requisitions)}</A> })}
                        {generate.then(|| view! { <A href="/procurement/orders/generate" exact=true attr:class=tab>{t!(i18n, nav.generate)}</A> })}
                        {orders.then(|| view! { <A href="/procurement/orders" exact=true attr:class=tab>{t!(i18n, nav.orders)}</A> })}
                        {suppliers.then(|| view! { <A href="/procurement/suppliers" attr:class=tab>{t!(i18n, nav.suppliers)}</A> })}
                        {projects.then(|| view! { <A href="/procurement/projects" exact=true attr:class=tab>{t!(i18n, nav.projects)}</A> })}
                    </nav>
                }
            })}
        </Suspense>
    }
}
