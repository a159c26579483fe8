//! The "Download: CSV · Excel" links of a list page: plain links to the list's REST URL with the
//! page's current filters and `format=csv|xlsx` (the session cookie signs them in; no script).
use crate::i18n::*;
use leptos::prelude::*;

/// `path?{filters}&format={format}`: the filters that have a value, URL-encoded, in order.
pub fn export_href(path: &str, filters: &[(&str, Option<String>)], format: &str) -> String {
    let mut parts: Vec<String> = filters
        .iter()
        .filter_map(|(k, v)| {
            let v = v.as_deref()?.trim();
            (!v.is_empty()).then(|| format!("{k}={}", crate::format::url_encode(v)))
        })
        .collect();
    parts.push(format!("format={format}"));
    format!("{path}?{}", parts.join("&"))
}

const LINK: &str = "inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-blue-900 hover:bg-slate-100";

/// Two download links for the list at `path` with the page's `filters`. `label` names what is
/// downloaded when a page offers more than one list (the movements, stock by plant).
#[component]
pub fn ExportLinks(
    path: &'static str,
    #[prop(into)] filters: Signal<Vec<(&'static str, Option<String>)>>,
    #[prop(optional, into)] label: Option<Signal<String>>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = move |format: &'static str| export_href(path, &filters.get(), format);
    let heading = move || match label {
        Some(l) => l.get(),
        None => t_string!(i18n, export.downloads).to_string(),
    };
    view! {
        <div class="flex flex-wrap items-center gap-2" role="group" aria-label=heading data-testid=testid>
            <span class="text-sm text-slate-700">{heading}</span>
            <a href=move || href("csv") rel="external" download class=LINK
                title=move || t_string!(i18n, export.download_csv).to_string()>{t!(i18n, export.csv)}</a>
            <a href=move || href("xlsx") rel="external" download class=LINK
                title=move || t_string!(i18n, export.download_excel).to_string()>{t!(i18n, export.excel)}</a>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_filters_that_have_a_value() {
        assert_eq!(
            export_href(
                "/api/v1/requisitions",
                &[
                    ("status", Some("draft".into())),
                    ("q", Some("bearing 6205".into())),
                    ("mine", None),
                    ("plant", Some(" ".into())),
                ],
                "csv"
            ),
            "/api/v1/requisitions?status=draft&q=bearing%206205&format=csv"
        );
        assert_eq!(
            export_href("/api/v1/suppliers", &[], "xlsx"),
            "/api/v1/suppliers?format=xlsx"
        );
    }
}
