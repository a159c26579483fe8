//! The supplier statement and the input-tax register, as the browser and the server share them.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a supplier was owed over a span: the balance before it, each posting on accounts payable
/// for the supplier in date order with the balance after it, and the balance at its end — which
/// is the supplier's balance on the AP account. Amounts owed are positive (credit balances).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SupplierStatement {
    pub supplier_id: Uuid,
    pub supplier: String,
    pub supplier_code: String,
    pub gstin: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    /// Owed before `from`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub opening: Decimal,
    /// The span's invoices (credits to the supplier's account).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub invoiced: Decimal,
    /// The span's payments (debits).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub paid: Decimal,
    /// Owed at the end of `to`: `opening + invoiced − paid`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub closing: Decimal,
    pub lines: Vec<StatementLine>,
}

/// One posting of a statement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatementLine {
    pub date: NaiveDate,
    /// `invoice`, `payment`, `reversal` or `other` (a manual entry).
    pub kind: String,
    /// The supplier invoice or payment it records (none for a reversal or a manual entry).
    pub document_id: Option<Uuid>,
    /// PI-… or PAY-…; the journal entry's number otherwise.
    pub document: String,
    /// The supplier's own invoice number, or the payment's reference.
    pub reference: Option<String>,
    pub entry_id: Uuid,
    pub entry_number: String,
    /// A payment (or a reversed invoice) lowers what is owed.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub debit: Decimal,
    /// An invoice raises it.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub credit: Decimal,
    /// Owed after this line.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub balance: Decimal,
}

/// GST input over a span, from the posted supplier invoices (by the day each was posted; a
/// reversed posting counts against the day of its reversal): per supplier GSTIN and rate, per
/// head and rate, with totals by head that equal the GST input accounts' movements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InputTaxRegister {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    /// Per supplier and rate, by supplier then rate.
    pub rows: Vec<InputTaxRow>,
    /// Per head (`cgst`, `sgst`, `igst`) and rate.
    pub by_head: Vec<InputTaxHead>,
    pub totals: TaxHeads,
    /// The movements (debits − credits) of the GST input accounts over the span.
    pub accounts: TaxHeads,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InputTaxRow {
    pub supplier_id: Uuid,
    pub supplier: String,
    pub gstin: Option<String>,
    /// A percent (18 for 18 %).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub rate: Decimal,
    /// The lines' value before tax.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub taxable: Decimal,
    #[serde(flatten)]
    pub tax: TaxHeads,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InputTaxHead {
    /// `cgst`, `sgst` or `igst`.
    pub head: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub rate: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub taxable: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub tax: Decimal,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaxHeads {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub cgst: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub sgst: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub igst: Decimal,
    /// The three together.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
}

impl TaxHeads {
    pub fn new(cgst: Decimal, sgst: Decimal, igst: Decimal) -> TaxHeads {
        TaxHeads {
            cgst,
            sgst,
            igst,
            total: cgst + sgst + igst,
        }
    }

    pub fn add(&mut self, other: &TaxHeads) {
        *self = TaxHeads::new(
            self.cgst + other.cgst,
            self.sgst + other.sgst,
            self.igst + other.igst,
        );
    }
}
