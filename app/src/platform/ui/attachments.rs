//! The files of a document, on its page: download links for whoever sees it; an upload control
//! and removal for whoever may change them. Plain forms posting to the server (they work without
//! JavaScript); the outcome comes back in the query string (`attached=1`, or
//! `upload_error=CODE[&field=…&reason=…]`) and is shown here, translated. Each slice places it
//! with its own links, heading and hint (requisitions, supplier invoices).
use crate::error::AppError;
use crate::format::format_date;
use crate::i18n::*;
use crate::platform::files::{size_label, Attachment, FileRights};
use crate::platform::ui::widgets::{ErrorDetails, BUTTON_CLASS, LABEL_CLASS};
use leptos::prelude::*;

/// The outcome of the last upload or removal, read from the page's query string.
fn outcome(q: &leptos_router::params::ParamsMap) -> Option<Result<(), AppError>> {
    if q.get("attached").is_some() {
        return Some(Ok(()));
    }
    let code = q.get("upload_error")?;
    let err = match (q.get("field"), q.get("reason")) {
        (Some(field), Some(reason)) => {
            match serde_json::from_value::<crate::error::FieldError>(serde_json::Value::String(
                reason,
            )) {
                Ok(fe) => AppError::field(&field, fe),
                Err(_) => AppError::Validation(Default::default()),
            }
        }
        _ => AppError::from_code(&code).unwrap_or(AppError::BadRequest),
    };
    Some(Err(err))
}

/// `download`: the folder a file downloads from (`{download}/{id}`); `form`: where the upload
/// form posts (`{form}`) and a removal (`{form}/{id}/delete`); `accept`: the file picker's
/// suggestion (the server decides from the bytes); `kept`: said instead of the upload control to
/// one who could add files but not now (the document has its file and keeps it).
#[component]
pub fn AttachmentsPanel(
    download: String,
    form: String,
    rights: FileRights,
    files: Resource<Result<Vec<Attachment>, AppError>>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] none: Signal<String>,
    #[prop(into)] hint: Signal<String>,
    accept: &'static str,
    #[prop(optional, into)] kept: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    view! {
        <section id="attachments" class="mt-4 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="att-heading">
            <h2 id="att-heading" class="text-lg font-semibold">{title}</h2>
            {move || outcome(&query.read()).map(|o| match o {
                Ok(()) => view! { <p role="status" class="mt-2 rounded-md border border-green-300 bg-green-50 p-2 text-sm text-green-900">{t!(i18n, att.added)}</p> }.into_any(),
                Err(e) => view! { <ErrorDetails error=e /> }.into_any(),
            })}
            <Transition>
                {move || {
                    let (download, form) = (download.clone(), form.clone());
                    Suspend::new(async move {
                        let list = files.await.unwrap_or_default();
                        let add = rights.may_add(list.len());
                        let upload = form.clone();
                        let listed = if list.is_empty() {
                            view! { <p class="mt-2 text-sm text-slate-700">{none}</p> }.into_any()
                        } else { view! {
                            <ul class="mt-2 divide-y divide-slate-200" data-testid="attachments">
                                {list.into_iter().map(|a| {
                                    let href = format!("{download}/{}", a.id);
                                    let del = format!("{form}/{}/delete", a.id);
                                    let day = a.uploaded_at.date_naive();
                                    let by = a.uploaded_by.clone();
                                    view! {
                                        <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                            <div class="min-w-0">
                                                <a href=href download=a.file_name.clone() class="break-all font-medium text-blue-900 underline">{a.file_name.clone()}</a>
                                                <p class="text-sm text-slate-700">
                                                    <span dir="ltr">{size_label(a.size_bytes)}</span>
                                                    " · "{move || t_string!(i18n, att.by, name = by.clone(), date = format_date(day, i18n.get_locale())).to_string()}
                                                </p>
                                            </div>
                                            {rights.remove.then(|| view! {
                                                <form method="post" action=del>
                                                    <button type="submit" class="rounded-md border border-red-700 px-3 py-1 text-sm font-semibold text-red-800 hover:bg-red-50">{t!(i18n, att.remove)}</button>
                                                </form>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any() };
                        let control = if add {
                            Some(view! {
                                <form method="post" enctype="multipart/form-data" action=upload
                                    class="mt-3 flex flex-wrap items-end gap-3 border-t border-slate-200 pt-3">
                                    <div class="min-w-0 flex-1">
                                        <label for="att-file" class=LABEL_CLASS>{t!(i18n, att.choose)}</label>
                                        <input id="att-file" name="file" type="file" required class="mt-1 block w-full text-sm"
                                            accept=accept aria-describedby="att-hint" />
                                        <p id="att-hint" class="mt-1 text-sm text-slate-700">{hint}</p>
                                    </div>
                                    <button type="submit" class=BUTTON_CLASS>{t!(i18n, att.upload)}</button>
                                </form>
                            }.into_any())
                        } else if rights.add {
                            kept.map(|k| view! { <p class="mt-3 border-t border-slate-200 pt-3 text-sm text-slate-700" data-testid="attachments-kept">{k}</p> }.into_any())
                        } else {
                            None
                        };
                        view! { {listed} {control} }.into_any()
                    })
                }}
            </Transition>
        </section>
    }
}
