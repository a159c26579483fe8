//! The TallyPrime export: the journal of a period as one import file — the ledgers it uses
//! (each account under Tally's predefined group for its role and kind, each supplier a bill-wise
//! party ledger under Sundry Creditors), then a voucher per journal entry: a purchase for a
//! supplier invoice (a New Ref bill named by the supplier's invoice number), a payment for a
//! payment (Agst Ref the invoices it pays), a journal for everything else. The same period and
//! data give the same bytes; each voucher's identity is its entry's.
use crate::error::{AppError, AppResult, FieldError};
use crate::finance::model::{AccountKind, Control};
use crate::finance::repo::{accounts as accounts_repo, periods as periods_repo, tally as repo};
use crate::finance::tally::{
    parent_group, render, voucher_guid, Bill, BillType, Entry, Ledger, TallyFile, Voucher,
    VoucherKind, SUNDRY_CREDITORS,
};
use crate::platform::context::RequestCtx;
use crate::platform::db::Tx;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Who may export the books: readers of financial reports and accountants.
fn can_export(ctx: &RequestCtx) -> AppResult<()> {
    let p = ctx.principal()?;
    if p.require("reports:financial").is_ok() || p.require("accounting:manage").is_ok() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The span an export covers: `from` to `to`, by default the fiscal year so far.
pub async fn span(
    tx: &mut Tx,
    ctx: &RequestCtx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<(NaiveDate, NaiveDate)> {
    resolve(tx, ctx, from, to)
        .await
        .map(|(from, to, _)| (from, to))
}

/// The span and the company's books, once the caller may export.
async fn resolve(
    tx: &mut Tx,
    ctx: &RequestCtx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<(NaiveDate, NaiveDate, periods_repo::TenantBooks)> {
    can_export(ctx)?;
    let p = ctx.principal()?;
    let books = periods_repo::tenant_books(tx, p.tenant_id).await?;
    let (year_start, _) =
        super::periods::year_around(books.today, u32::try_from(books.start_month).unwrap_or(1));
    let from = from.unwrap_or(year_start);
    let to = to.unwrap_or(books.today);
    if to < from {
        return Err(AppError::field("to", FieldError::Invalid));
    }
    Ok((from, to, books))
}

/// The export of `from` to `to` (default: the fiscal year so far): the file's name and its text.
pub async fn export(
    tx: &mut Tx,
    ctx: &RequestCtx,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<(String, String)> {
    let (from, to, books) = resolve(tx, ctx, from, to).await?;
    let p = ctx.principal()?;
    let tenant = p.tenant_id;
    let company = p.user.tenant.name.clone();
    let places = crate::format::minor_units(&books.currency);

    let chart = accounts_repo::chart(tx).await?;
    let entries = repo::entries(tx, from, to).await?;
    let lines = repo::lines(tx, from, to).await?;
    let mut supplier_ids: Vec<Uuid> = lines.iter().filter_map(|l| l.supplier_id).collect();
    supplier_ids.sort_unstable();
    supplier_ids.dedup();
    let shared = crate::procurement::service::suppliers_sharing_names(tx, &supplier_ids).await?;
    let mut suppliers = crate::procurement::service::suppliers_facts(tx, &supplier_ids).await?;
    suppliers.sort_by_key(|s| s.id);

    let accounts: Vec<Account> = chart
        .iter()
        .filter(|a| !a.is_group)
        .map(|a| Account {
            id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            tally_name: a.tally_name.clone(),
            kind: AccountKind::parse(&a.kind).unwrap_or(AccountKind::Asset),
            control: a.control.as_deref().and_then(Control::parse),
            active: a.active,
        })
        .collect();
    let suppliers: Vec<Supplier> = suppliers
        .into_iter()
        .map(|s| Supplier {
            shared_name: shared.contains(&s.id),
            id: s.id,
            code: s.code,
            name: s.name,
        })
        .collect();
    let entries: Vec<JournalEntry> = entries
        .into_iter()
        .map(|e| JournalEntry {
            id: e.id,
            number: e.number,
            date: e.entry_date,
            narration: e.narration,
            source: e.source,
            invoice_number: e.invoice_number,
            supplier_number: e.supplier_number,
            payment_number: e.payment_number,
        })
        .collect();
    let lines: Vec<JournalLine> = lines
        .into_iter()
        .map(|l| JournalLine {
            entry_id: l.entry_id,
            account_id: l.account_id,
            amount: l.debit - l.credit,
            supplier_id: l.supplier_id,
            bill: l.bill,
        })
        .collect();
    let file = build(
        tenant, company, places, &accounts, &suppliers, &entries, &lines,
    );
    let name = format!("tally-{from}-{to}.xml");
    Ok((name, render(&file)))
}

/// An account of the chart as the export needs it.
pub struct Account {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub tally_name: Option<String>,
    pub kind: AccountKind,
    pub control: Option<Control>,
    pub active: bool,
}

pub struct Supplier {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub shared_name: bool,
}

pub struct JournalEntry {
    pub id: Uuid,
    pub number: String,
    pub date: NaiveDate,
    pub narration: String,
    pub source: String,
    pub invoice_number: Option<String>,
    pub supplier_number: Option<String>,
    pub payment_number: Option<String>,
}

pub struct JournalLine {
    pub entry_id: Uuid,
    pub account_id: Uuid,
    /// Debit positive.
    pub amount: Decimal,
    pub supplier_id: Option<Uuid>,
    pub bill: Option<String>,
}

/// Each account's ledger name: its Tally name when mapped (two accounts mapped to one name share
/// the ledger), else its own name, with its code when another account has that name too.
fn account_names(accounts: &[Account]) -> HashMap<Uuid, String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for a in accounts.iter().filter(|a| mapped(a).is_none()) {
        *count.entry(a.name.trim().to_lowercase()).or_default() += 1;
    }
    accounts
        .iter()
        .map(|a| {
            let name = match mapped(a) {
                Some(t) => t.to_string(),
                None if count.get(&a.name.trim().to_lowercase()).copied() > Some(1) => {
                    format!("{} ({})", a.name.trim(), a.code)
                }
                None => a.name.trim().to_string(),
            };
            (a.id, name)
        })
        .collect()
}

fn mapped(a: &Account) -> Option<&str> {
    a.tally_name
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Builds the file from the chart, the suppliers and the period's entries and lines (entries in
/// date and number order, lines in line order).
pub fn build(
    tenant: Uuid,
    company: String,
    places: u32,
    accounts: &[Account],
    suppliers: &[Supplier],
    entries: &[JournalEntry],
    lines: &[JournalLine],
) -> TallyFile {
    let names = account_names(accounts);
    let taken: HashSet<String> = names.values().map(|n| n.to_lowercase()).collect();
    // a supplier's party ledger: its name, with its code when that name is another supplier's
    // or an account's ledger
    let party_names: HashMap<Uuid, String> = suppliers
        .iter()
        .map(|s| {
            let name = s.name.trim();
            let name = if s.shared_name || taken.contains(&name.to_lowercase()) {
                format!("{name} ({})", s.code)
            } else {
                name.to_string()
            };
            (s.id, name)
        })
        .collect();
    let by_id: HashMap<Uuid, &Account> = accounts.iter().map(|a| (a.id, a)).collect();
    let mut by_entry: HashMap<Uuid, Vec<&JournalLine>> = HashMap::new();
    for l in lines {
        by_entry.entry(l.entry_id).or_default().push(l);
    }

    let mut used: HashSet<Uuid> = HashSet::new();
    let mut parties_used: HashSet<Uuid> = HashSet::new();
    let mut vouchers = Vec::with_capacity(entries.len());
    for e in entries {
        let (kind, number, reference) =
            match (e.source.as_str(), &e.invoice_number, &e.payment_number) {
                ("supplier_invoice", Some(n), _) => {
                    (VoucherKind::Purchase, n.clone(), e.supplier_number.clone())
                }
                ("payment", _, Some(n)) => (VoucherKind::Payment, n.clone(), None),
                _ => (VoucherKind::Journal, e.number.clone(), None),
            };
        let mut out: Vec<Entry> = Vec::new();
        let mut party = None;
        for l in by_entry.get(&e.id).map(Vec::as_slice).unwrap_or_default() {
            let account = by_id.get(&l.account_id);
            let is_ap = account.is_some_and(|a| a.control == Some(Control::Ap));
            match (is_ap, l.supplier_id.and_then(|s| party_names.get(&s))) {
                (true, Some(ledger)) => {
                    parties_used.extend(l.supplier_id);
                    party.get_or_insert_with(|| ledger.clone());
                    let bill = match &l.bill {
                        Some(name) => Bill {
                            name: name.clone(),
                            kind: if kind == VoucherKind::Purchase && l.amount < Decimal::ZERO {
                                BillType::NewRef
                            } else {
                                BillType::AgstRef
                            },
                            amount: l.amount,
                        },
                        None => Bill {
                            name: String::new(),
                            kind: BillType::OnAccount,
                            amount: l.amount,
                        },
                    };
                    // one entry per party ledger, with a bill allocation per line
                    match out.iter_mut().find(|x| x.party && &x.ledger == ledger) {
                        Some(x) => {
                            x.amount += l.amount;
                            x.bills.push(bill);
                        }
                        None => out.push(Entry {
                            ledger: ledger.clone(),
                            amount: l.amount,
                            party: true,
                            bills: vec![bill],
                        }),
                    }
                }
                _ => {
                    used.insert(l.account_id);
                    out.push(Entry {
                        ledger: names.get(&l.account_id).cloned().unwrap_or_default(),
                        amount: l.amount,
                        party: false,
                        bills: vec![],
                    });
                }
            }
        }
        let narration = if number == e.number {
            e.narration.clone()
        } else {
            format!("{} ({})", e.narration, e.number)
        };
        vouchers.push(Voucher {
            kind,
            guid: voucher_guid(tenant, e.id),
            date: e.date,
            number,
            reference,
            narration,
            party: if kind == VoucherKind::Journal {
                None
            } else {
                party
            },
            entries: out,
        });
    }

    // the masters: every account's ledger that is active or used (accounts payable only when
    // used without a supplier), then the suppliers' party ledgers; one per name, by name
    let mut ledgers: BTreeMap<String, Ledger> = BTreeMap::new();
    let mut sorted: Vec<&Account> = accounts.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    for a in sorted {
        let wanted = used.contains(&a.id) || (a.active && a.control != Some(Control::Ap));
        if !wanted {
            continue;
        }
        let name = names.get(&a.id).cloned().unwrap_or_default();
        ledgers.entry(name.to_lowercase()).or_insert(Ledger {
            name,
            parent: parent_group(a.kind, a.control).to_string(),
            bill_wise: false,
        });
    }
    for s in suppliers.iter().filter(|s| parties_used.contains(&s.id)) {
        let name = party_names.get(&s.id).cloned().unwrap_or_default();
        ledgers.entry(name.to_lowercase()).or_insert(Ledger {
            name,
            parent: SUNDRY_CREDITORS.to_string(),
            bill_wise: true,
        });
    }
    TallyFile {
        company,
        places,
        ledgers: ledgers.into_values().collect(),
        vouchers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn account(
        n: u128,
        code: &str,
        name: &str,
        kind: AccountKind,
        control: Option<Control>,
    ) -> Account {
        Account {
            id: Uuid::from_u128(n),
            code: code.into(),
            name: name.into(),
            tally_name: None,
            kind,
            control,
            active: true,
        }
    }

    fn line(
        entry: u128,
        account: u128,
        amount: &str,
        supplier: Option<u128>,
        bill: Option<&str>,
    ) -> JournalLine {
        JournalLine {
            entry_id: Uuid::from_u128(entry),
            account_id: Uuid::from_u128(account),
            amount: d(amount),
            supplier_id: supplier.map(Uuid::from_u128),
            bill: bill.map(str::to_string),
        }
    }

    fn entry(n: u128, number: &str, source: &str) -> JournalEntry {
        JournalEntry {
            id: Uuid::from_u128(n),
            number: number.into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 6).expect("date"),
            narration: "n".into(),
            source: source.into(),
            invoice_number: (source == "supplier_invoice").then(|| "PI-2026-000001".into()),
            supplier_number: (source == "supplier_invoice").then(|| "VE/1".into()),
            payment_number: (source == "payment").then(|| "PAY-2026-000001".into()),
        }
    }

    fn built() -> TallyFile {
        let mut bank = account(3, "1120", "Bank", AccountKind::Asset, Some(Control::Bank));
        bank.tally_name = Some("HDFC Current A/c".into());
        let accounts = vec![
            account(
                1,
                "2211",
                "Creditors",
                AccountKind::Liability,
                Some(Control::Ap),
            ),
            account(
                2,
                "2212",
                "GRNI",
                AccountKind::Liability,
                Some(Control::Grni),
            ),
            bank,
            account(4, "5100", "Misc", AccountKind::Expense, None),
            account(5, "5200", "Misc", AccountKind::Expense, None),
        ];
        let suppliers = vec![Supplier {
            id: Uuid::from_u128(100),
            code: "AB".into(),
            name: "GRNI".into(),
            shared_name: false,
        }];
        let entries = vec![
            entry(10, "JE-1", "supplier_invoice"),
            entry(11, "JE-2", "payment"),
            entry(12, "JE-3", "manual"),
        ];
        let lines = vec![
            line(10, 2, "100", Some(100), None),
            line(10, 1, "-100", Some(100), Some("VE/1")),
            line(11, 1, "60", Some(100), Some("VE/1")),
            line(11, 1, "40", Some(100), Some("VE/2")),
            line(11, 3, "-100", Some(100), None),
            line(12, 4, "5", None, None),
            line(12, 5, "-5", None, None),
        ];
        build(
            Uuid::from_u128(9),
            "Co".into(),
            2,
            &accounts,
            &suppliers,
            &entries,
            &lines,
        )
    }

    #[test]
    fn vouchers_by_source_with_bills_and_balanced_entries() {
        let f = built();
        let kinds: Vec<_> = f
            .vouchers
            .iter()
            .map(|v| (v.kind, v.number.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (VoucherKind::Purchase, "PI-2026-000001"),
                (VoucherKind::Payment, "PAY-2026-000001"),
                (VoucherKind::Journal, "JE-3")
            ]
        );
        assert!(f.vouchers.iter().all(Voucher::balanced));
        // the supplier is named like an account's ledger: its code tells them apart
        let purchase = &f.vouchers[0];
        assert_eq!(purchase.party.as_deref(), Some("GRNI (AB)"));
        assert_eq!(purchase.reference.as_deref(), Some("VE/1"));
        let p = &purchase.entries[1];
        assert!(p.party);
        assert_eq!(p.bills[0].kind, BillType::NewRef);
        assert_eq!(p.bills[0].name, "VE/1");
        // the payment: one party entry with an Agst Ref per invoice, the bank by its Tally name
        let pay = &f.vouchers[1];
        assert_eq!(pay.entries.len(), 2);
        assert_eq!(pay.entries[0].amount, d("100"));
        let bills: Vec<_> = pay.entries[0]
            .bills
            .iter()
            .map(|b| (b.kind, b.name.as_str(), b.amount))
            .collect();
        assert_eq!(
            bills,
            [
                (BillType::AgstRef, "VE/1", d("60")),
                (BillType::AgstRef, "VE/2", d("40"))
            ]
        );
        assert_eq!(pay.entries[1].ledger, "HDFC Current A/c");
        // two accounts of one name: each with its code
        let j: Vec<_> = f.vouchers[2]
            .entries
            .iter()
            .map(|e| e.ledger.as_str())
            .collect();
        assert_eq!(j, ["Misc (5100)", "Misc (5200)"]);
        assert_eq!(f.vouchers[2].party, None);
    }

    #[test]
    fn the_masters_hold_every_ledger_used_and_the_party_bill_wise() {
        let f = built();
        let names: HashSet<&str> = f.ledgers.iter().map(|l| l.name.as_str()).collect();
        for v in &f.vouchers {
            for e in &v.entries {
                assert!(names.contains(e.ledger.as_str()), "{}", e.ledger);
            }
        }
        // accounts payable is not used without a supplier: no ledger of its own
        assert!(!names.contains("Creditors"));
        let party = f
            .ledgers
            .iter()
            .find(|l| l.name == "GRNI (AB)")
            .expect("party");
        assert!(party.bill_wise);
        assert_eq!(party.parent, "Sundry Creditors");
        let bank = f
            .ledgers
            .iter()
            .find(|l| l.name == "HDFC Current A/c")
            .expect("bank");
        assert_eq!(
            (bank.parent.as_str(), bank.bill_wise),
            ("Bank Accounts", false)
        );
        assert_eq!(f, built());
    }
}
