-- A supplier's Indian tax facts and its own invoice-matching tolerance, and the tenant's default
-- tolerance (issue 26, point 5: the master data the supplier invoices use).
--
-- gstin: the supplier's GST identification number (its check character is verified by the
-- service; here only its shape); state_code: the two-digit state of its registration, which a
-- GSTIN implies (the first two digits); reverse_charge: the buyer pays the supplier's GST;
-- tds_section/tds_rate: the income-tax section (194C contractors, 194J professional fees, 194Q
-- purchase of goods) and the percent deducted at source, always given together.
-- price_tolerance_pct/abs: how far an invoice's unit price may exceed the order's before the line
-- is an exception; null: the tenant's.
alter table suppliers
  add column gstin text check (gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'),
  add column state_code text check (state_code ~ '^[0-9]{2}$'),
  add column reverse_charge boolean not null default false,
  add column tds_section text check (tds_section in ('194C', '194J', '194Q')),
  add column tds_rate numeric(7,4) check (tds_rate >= 0 and tds_rate <= 100),
  add column price_tolerance_pct numeric(9,4) check (price_tolerance_pct >= 0 and price_tolerance_pct <= 100),
  add column price_tolerance_abs numeric(18,4) check (price_tolerance_abs >= 0),
  add constraint suppliers_tds_pair check ((tds_section is null) = (tds_rate is null)),
  add constraint suppliers_gstin_state check (gstin is null or state_code = left(gstin, 2));

-- The tenant's default invoice price tolerance: a line's price may exceed the order's by this
-- percent and (when above zero) by at most this amount in the tenant's currency.
alter table tenants
  add column invoice_price_tolerance_pct numeric(9,4) not null default 2
    check (invoice_price_tolerance_pct >= 0 and invoice_price_tolerance_pct <= 100),
  add column invoice_price_tolerance_abs numeric(18,4) not null default 0
    check (invoice_price_tolerance_abs >= 0);
