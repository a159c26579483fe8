//! The TallyPrime import file, built from plain values (no database here): an `ENVELOPE` whose
//! `TALLYMESSAGE`s hold the ledgers first (masters) and then the period's vouchers (purchase,
//! payment, journal). The service ([`crate::finance::service::tally`]) reads the journal and
//! fills these types; everything about Tally's format and the sign convention lives here.
//!
//! Sign convention (Tally's own, as its exports write it): a debit is `ISDEEMEDPOSITIVE` Yes
//! with a negative `AMOUNT`, a credit is `ISDEEMEDPOSITIVE` No with a positive `AMOUNT`; so the
//! `AMOUNT`s of a voucher sum to zero. Bill allocations carry their entry's sign.
use crate::finance::model::{AccountKind, Control};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt::Write;
use uuid::Uuid;

/// Tally's predefined group a ledger hangs under.
pub const SUNDRY_CREDITORS: &str = "Sundry Creditors";

/// The predefined TallyPrime group for one of our accounts: by its control role first, then by
/// its kind.
pub fn parent_group(kind: AccountKind, control: Option<Control>) -> &'static str {
    match control {
        Some(Control::Ap) => SUNDRY_CREDITORS,
        Some(Control::Bank) => "Bank Accounts",
        Some(
            Control::GstInputCgst
            | Control::GstInputSgst
            | Control::GstInputIgst
            | Control::TaxInput
            | Control::TdsPayable
            | Control::GstRcmPayable,
        ) => "Duties & Taxes",
        // not Stock-in-Hand: Tally computes those ledgers from its own stock items (or takes
        // the closing stock by hand) and keeps them out of accounting vouchers
        Some(Control::Inventory | Control::InTransit) => "Current Assets",
        Some(Control::PriceVariance) => "Purchase Accounts",
        Some(Control::Consumption) => "Direct Expenses",
        Some(Control::Grni) => "Current Liabilities",
        Some(Control::OpeningBalance) => "Capital Account",
        Some(Control::StockAdjustment) => "Indirect Expenses",
        None => match kind {
            AccountKind::Asset => "Current Assets",
            AccountKind::Liability => "Current Liabilities",
            AccountKind::Equity => "Capital Account",
            AccountKind::Income => "Indirect Incomes",
            AccountKind::Expense => "Indirect Expenses",
        },
    }
}

/// A ledger master.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    pub name: String,
    pub parent: String,
    /// Bill-wise details on (a supplier's party ledger).
    pub bill_wise: bool,
}

/// The voucher types the file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoucherKind {
    Purchase,
    Payment,
    Journal,
}

impl VoucherKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VoucherKind::Purchase => "Purchase",
            VoucherKind::Payment => "Payment",
            VoucherKind::Journal => "Journal",
        }
    }
}

/// How an entry on a party ledger refers to a bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillType {
    /// The bill is created by this voucher (the supplier's invoice, on the purchase).
    NewRef,
    /// The voucher settles or corrects an existing bill (a payment, a reversal).
    AgstRef,
    /// On a party ledger without a bill.
    OnAccount,
}

impl BillType {
    pub fn as_str(self) -> &'static str {
        match self {
            BillType::NewRef => "New Ref",
            BillType::AgstRef => "Agst Ref",
            BillType::OnAccount => "On Account",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bill {
    /// The bill's name: the supplier's own invoice number (empty for on account).
    pub name: String,
    pub kind: BillType,
    /// Signed, debit positive, like its entry's.
    pub amount: Decimal,
}

/// One ledger entry of a voucher: a signed amount, debit positive (as our journal keeps it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub ledger: String,
    pub amount: Decimal,
    pub party: bool,
    /// The bills a party ledger's entry refers to (their amounts sum to the entry's).
    pub bills: Vec<Bill>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voucher {
    pub kind: VoucherKind,
    /// Its identity in Tally (`GUID` and `REMOTEID`): the same for the same journal entry, so a
    /// second import alters instead of duplicating. See [`voucher_guid`].
    pub guid: String,
    pub date: NaiveDate,
    pub number: String,
    /// The supplier's own invoice number on a purchase.
    pub reference: Option<String>,
    pub narration: String,
    pub party: Option<String>,
    pub entries: Vec<Entry>,
}

impl Voucher {
    /// Whether the entries balance (debits equal credits).
    pub fn balanced(&self) -> bool {
        self.entries
            .iter()
            .map(|e| e.amount)
            .sum::<Decimal>()
            .is_zero()
    }
}

/// The whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TallyFile {
    /// Tally's company to import into (`SVCURRENTCOMPANY`).
    pub company: String,
    /// Digits after the decimal point of the company's currency.
    pub places: u32,
    pub ledgers: Vec<Ledger>,
    pub vouchers: Vec<Voucher>,
}

/// A voucher's identity from the tenant and the journal entry: deterministic, unique across
/// tenants, and the same every time the entry is exported.
pub fn voucher_guid(tenant: Uuid, entry: Uuid) -> String {
    format!("millwright-{tenant}-{entry}")
}

/// XML-escapes a text for an element's content or an attribute's value (`&`, `<`, `>`, `"`,
/// `'`), dropping the control characters XML 1.0 cannot carry.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Tally's pair for a signed amount (debit positive): (`ISDEEMEDPOSITIVE`, `AMOUNT`). A debit is
/// deemed positive and written negative; a credit is not and is written positive.
pub fn tally_amount(debit_positive: Decimal, places: u32) -> (&'static str, String) {
    let deemed = if debit_positive > Decimal::ZERO {
        "Yes"
    } else {
        "No"
    };
    (deemed, fixed(-debit_positive, places))
}

/// An amount with exactly `places` decimals (no sign on zero).
fn fixed(amount: Decimal, places: u32) -> String {
    let mut a = amount.round_dp(places);
    if a.is_zero() {
        a = Decimal::ZERO;
    }
    a.rescale(places);
    a.to_string()
}

fn element(out: &mut String, indent: usize, name: &str, text: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<{name}>{}</{name}>",
        "",
        escape(text),
        indent = indent
    );
}

/// The file's text: UTF-8, one element per line, the same bytes for the same values.
pub fn render(file: &TallyFile) -> String {
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str("<ENVELOPE>\n <HEADER>\n  <TALLYREQUEST>Import Data</TALLYREQUEST>\n </HEADER>\n");
    o.push_str(
        " <BODY>\n  <IMPORTDATA>\n   <REQUESTDESC>\n    <REPORTNAME>Vouchers</REPORTNAME>\n",
    );
    o.push_str("    <STATICVARIABLES>\n");
    element(&mut o, 5, "SVCURRENTCOMPANY", &file.company);
    element(&mut o, 5, "IMPORTDUPS", "@@DUPCOMBINE");
    o.push_str("    </STATICVARIABLES>\n   </REQUESTDESC>\n   <REQUESTDATA>\n");
    for l in &file.ledgers {
        let name = escape(&l.name);
        o.push_str("    <TALLYMESSAGE xmlns:UDF=\"TallyUDF\">\n");
        let _ = writeln!(o, "     <LEDGER NAME=\"{name}\" ACTION=\"Create\">");
        o.push_str("      <NAME.LIST>\n");
        element(&mut o, 7, "NAME", &l.name);
        o.push_str("      </NAME.LIST>\n");
        element(&mut o, 6, "PARENT", &l.parent);
        element(
            &mut o,
            6,
            "ISBILLWISEON",
            if l.bill_wise { "Yes" } else { "No" },
        );
        element(&mut o, 6, "AFFECTSSTOCK", "No");
        o.push_str("     </LEDGER>\n    </TALLYMESSAGE>\n");
    }
    for v in &file.vouchers {
        let kind = v.kind.as_str();
        let guid = escape(&v.guid);
        let date = v.date.format("%Y%m%d").to_string();
        o.push_str("    <TALLYMESSAGE xmlns:UDF=\"TallyUDF\">\n");
        let _ = writeln!(
            o,
            "     <VOUCHER REMOTEID=\"{guid}\" VCHTYPE=\"{kind}\" ACTION=\"Create\" OBJVIEW=\"Accounting Voucher View\">"
        );
        element(&mut o, 6, "GUID", &v.guid);
        element(&mut o, 6, "DATE", &date);
        element(&mut o, 6, "EFFECTIVEDATE", &date);
        element(&mut o, 6, "VOUCHERTYPENAME", kind);
        element(&mut o, 6, "VOUCHERNUMBER", &v.number);
        if let Some(r) = &v.reference {
            element(&mut o, 6, "REFERENCE", r);
        }
        element(&mut o, 6, "NARRATION", &v.narration);
        if let Some(p) = &v.party {
            element(&mut o, 6, "PARTYLEDGERNAME", p);
        }
        element(&mut o, 6, "PERSISTEDVIEW", "Accounting Voucher View");
        element(&mut o, 6, "ISINVOICE", "No");
        for e in &v.entries {
            let (deemed, amount) = tally_amount(e.amount, file.places);
            o.push_str("      <ALLLEDGERENTRIES.LIST>\n");
            element(&mut o, 7, "LEDGERNAME", &e.ledger);
            element(&mut o, 7, "ISDEEMEDPOSITIVE", deemed);
            element(
                &mut o,
                7,
                "ISPARTYLEDGER",
                if e.party { "Yes" } else { "No" },
            );
            element(&mut o, 7, "AMOUNT", &amount);
            for b in &e.bills {
                o.push_str("       <BILLALLOCATIONS.LIST>\n");
                if b.kind != BillType::OnAccount {
                    element(&mut o, 8, "NAME", &b.name);
                }
                element(&mut o, 8, "BILLTYPE", b.kind.as_str());
                element(&mut o, 8, "AMOUNT", &tally_amount(b.amount, file.places).1);
                o.push_str("       </BILLALLOCATIONS.LIST>\n");
            }
            o.push_str("      </ALLLEDGERENTRIES.LIST>\n");
        }
        o.push_str("     </VOUCHER>\n    </TALLYMESSAGE>\n");
    }
    o.push_str("   </REQUESTDATA>\n  </IMPORTDATA>\n </BODY>\n</ENVELOPE>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn purchase() -> TallyFile {
        let tenant = Uuid::from_u128(1);
        let entry = Uuid::from_u128(2);
        TallyFile {
            company: "Saif & Sons".into(),
            places: 2,
            ledgers: vec![
                Ledger {
                    name: "A & B <Ltd>".into(),
                    parent: SUNDRY_CREDITORS.into(),
                    bill_wise: true,
                },
                Ledger {
                    name: "GRNI".into(),
                    parent: "Current Liabilities".into(),
                    bill_wise: false,
                },
                Ledger {
                    name: "IGST input".into(),
                    parent: "Duties & Taxes".into(),
                    bill_wise: false,
                },
                Ledger {
                    name: "TDS payable".into(),
                    parent: "Duties & Taxes".into(),
                    bill_wise: false,
                },
            ],
            vouchers: vec![Voucher {
                kind: VoucherKind::Purchase,
                guid: voucher_guid(tenant, entry),
                date: NaiveDate::from_ymd_opt(2026, 12, 6).expect("date"),
                number: "PI-2026-000001".into(),
                reference: Some("VE/1001".into()),
                narration: "PI-2026-000001 VE/1001 \"rush\"".into(),
                party: Some("A & B <Ltd>".into()),
                entries: vec![
                    Entry {
                        ledger: "GRNI".into(),
                        amount: d("1000.0000"),
                        party: false,
                        bills: vec![],
                    },
                    Entry {
                        ledger: "IGST input".into(),
                        amount: d("180"),
                        party: false,
                        bills: vec![],
                    },
                    Entry {
                        ledger: "TDS payable".into(),
                        amount: d("-20"),
                        party: false,
                        bills: vec![],
                    },
                    Entry {
                        ledger: "A & B <Ltd>".into(),
                        amount: d("-1160.00"),
                        party: true,
                        bills: vec![Bill {
                            name: "VE/1001".into(),
                            kind: BillType::NewRef,
                            amount: d("-1160"),
                        }],
                    },
                ],
            }],
        }
    }

    #[test]
    fn escaping_covers_markup_and_drops_control_characters() {
        assert_eq!(
            escape("A & B <Ltd> \"q\" 'a'"),
            "A &amp; B &lt;Ltd&gt; &quot;q&quot; &apos;a&apos;"
        );
        assert_eq!(escape("a\u{1}b\nc"), "ab\nc");
        assert_eq!(escape("हिंदी"), "हिंदी");
    }

    #[test]
    fn a_debit_is_deemed_positive_and_written_negative_a_credit_the_reverse() {
        assert_eq!(tally_amount(d("100"), 2), ("Yes", "-100.00".to_string()));
        assert_eq!(tally_amount(d("-20.5"), 2), ("No", "20.50".to_string()));
        assert_eq!(
            tally_amount(d("1180.0000"), 0),
            ("Yes", "-1180".to_string())
        );
        assert_eq!(tally_amount(d("0"), 2), ("No", "0.00".to_string()));
    }

    #[test]
    fn the_guid_is_deterministic_and_tenant_scoped() {
        let (t1, t2, e) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(voucher_guid(t1, e), voucher_guid(t1, e));
        assert_ne!(voucher_guid(t1, e), voucher_guid(t2, e));
    }

    #[test]
    fn parents_follow_the_control_role_then_the_kind() {
        assert_eq!(
            parent_group(AccountKind::Liability, Some(Control::Ap)),
            "Sundry Creditors"
        );
        assert_eq!(
            parent_group(AccountKind::Asset, Some(Control::Bank)),
            "Bank Accounts"
        );
        assert_eq!(
            parent_group(AccountKind::Asset, Some(Control::GstInputIgst)),
            "Duties & Taxes"
        );
        assert_eq!(
            parent_group(AccountKind::Liability, Some(Control::TdsPayable)),
            "Duties & Taxes"
        );
        assert_eq!(
            parent_group(AccountKind::Asset, Some(Control::Inventory)),
            "Current Assets"
        );
        assert_eq!(parent_group(AccountKind::Equity, None), "Capital Account");
        assert_eq!(
            parent_group(AccountKind::Expense, None),
            "Indirect Expenses"
        );
    }

    #[test]
    fn the_file_escapes_every_text_signs_entries_and_allocates_the_bill() {
        let f = purchase();
        assert!(f.vouchers[0].balanced());
        let xml = render(&f);
        assert!(xml.contains("<SVCURRENTCOMPANY>Saif &amp; Sons</SVCURRENTCOMPANY>"));
        assert!(xml.contains("<LEDGER NAME=\"A &amp; B &lt;Ltd&gt;\" ACTION=\"Create\">"));
        assert!(xml.contains("<PARENT>Duties &amp; Taxes</PARENT>"));
        assert!(xml.contains("<PARTYLEDGERNAME>A &amp; B &lt;Ltd&gt;</PARTYLEDGERNAME>"));
        assert!(xml.contains("<NARRATION>PI-2026-000001 VE/1001 &quot;rush&quot;</NARRATION>"));
        assert!(!xml.contains("<Ltd>"));
        assert!(xml.contains("<DATE>20261206</DATE>"));
        assert!(xml.contains(
            "<LEDGERNAME>GRNI</LEDGERNAME>\n       <ISDEEMEDPOSITIVE>Yes</ISDEEMEDPOSITIVE>\n       <ISPARTYLEDGER>No</ISPARTYLEDGER>\n       <AMOUNT>-1000.00</AMOUNT>"
        ));
        assert!(xml.contains(
            "<LEDGERNAME>TDS payable</LEDGERNAME>\n       <ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE>\n       <ISPARTYLEDGER>No</ISPARTYLEDGER>\n       <AMOUNT>20.00</AMOUNT>"
        ));
        assert!(xml.contains(
            "<BILLALLOCATIONS.LIST>\n        <NAME>VE/1001</NAME>\n        <BILLTYPE>New Ref</BILLTYPE>\n        <AMOUNT>1160.00</AMOUNT>"
        ));
        assert!(xml.contains("REMOTEID=\"millwright-00000000-0000-0000-0000-000000000001-00000000-0000-0000-0000-000000000002\""));
        // masters before vouchers, and the same bytes twice
        assert!(xml.find("<LEDGER ").unwrap_or(usize::MAX) < xml.find("<VOUCHER ").unwrap_or(0));
        assert_eq!(xml, render(&purchase()));
    }

    #[test]
    fn an_on_account_allocation_has_no_name() {
        let mut f = purchase();
        f.vouchers[0].entries[3].bills = vec![Bill {
            name: String::new(),
            kind: BillType::OnAccount,
            amount: d("-1160"),
        }];
        let xml = render(&f);
        assert!(xml.contains("<BILLALLOCATIONS.LIST>\n        <BILLTYPE>On Account</BILLTYPE>"));
    }
}
