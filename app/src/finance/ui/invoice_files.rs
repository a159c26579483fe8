//! The "Supplier's document" panel of the supplier invoice page: the invoice's files with their
//! download links for every reader, and for whoever enters invoices the upload control and
//! removal while the rule of [`crate::finance::invoice_files::rights`] allows them (the shared
//! panel of [`crate::platform::ui::attachments`]).
use crate::finance::invoice_files::rights;
use crate::finance::invoice_files_api::list_invoice_files;
use crate::i18n::*;
use crate::platform::files::FileRights;
use crate::platform::ui::attachments::AttachmentsPanel;
use leptos::prelude::*;
use uuid::Uuid;

/// `manage`: the reader enters invoices (`invoice:create`); `status`: the invoice's.
#[component]
pub fn SupplierDocument(id: Uuid, status: String, manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let files = Resource::new(move || id, list_invoice_files);
    let r = if manage {
        rights(&status)
    } else {
        FileRights::default()
    };
    view! {
        <AttachmentsPanel
            download=format!("/api/v1/supplier-invoices/{id}/attachments")
            form=format!("/finance/invoices/{id}/attachments")
            rights=r files=files
            title=move || t_string!(i18n, invoice_files.title).to_string()
            none=move || t_string!(i18n, invoice_files.none).to_string()
            hint=move || t_string!(i18n, invoice_files.hint).to_string()
            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            kept=move || t_string!(i18n, invoice_files.kept).to_string() />
    }
}
