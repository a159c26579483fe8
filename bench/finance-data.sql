-- Bulk ledger data of bench/finance, written through SQL as the database owner (psql), not through
-- the services: the journal's own rules still hold, since every trigger fires — each entry is dated
-- inside an open period of its tenant's current fiscal year (period trigger), balances when its
-- transaction commits (the deferred balance check), its lines carry its date and period and move
-- account_balances in the statement that writes them (statement trigger), and no group account is
-- posted to. Each batch is one transaction (COMMIT inside the procedure).
-- psql variables: main_lines, per_entry, batch_lines, tenant_lines, invoices.

-- The tenant's open posting dates of the fiscal year around today (the period of each).
create or replace function bench_dates(t uuid) returns table (d date, period_id uuid)
language sql stable as $$
  select g::date, p.id
    from fiscal_years y
    join fiscal_periods p on p.tenant_id = y.tenant_id and p.fiscal_year_id = y.id and p.status = 'open'
    cross join lateral generate_series(p.start_date, p.end_date, interval '1 day') g
   where y.tenant_id = t and current_date between y.start_date and y.end_date
   order by 1
$$;

-- `lines` journal lines in entries of `per_entry` lines (even), `batch_lines` a transaction: line
-- 2k−1 debits and line 2k credits the same amount; the credit of the first pair always goes to the
-- tenant's first bank account (the busy account of the general-ledger test), every other line to
-- one of its ordinary posting accounts.
create or replace procedure bench_journal(t uuid, prefix text, lines bigint, per_entry int, batch_lines int)
language plpgsql as $$
declare
  accts uuid[];
  busy uuid;
  ds date[];
  ps uuid[];
  nd int;
  na int;
  entries bigint := lines / per_entry;
  per_batch bigint := greatest(1, batch_lines / per_entry);
  first bigint := 0;
  last bigint;
  cur text;
begin
  select array_agg(id order by code) into accts from accounts
   where tenant_id = t and not is_group and active and control is null;
  select id into busy from accounts where tenant_id = t and control = 'bank' and not is_group order by code limit 1;
  select array_agg(d order by d), array_agg(period_id order by d) into ds, ps from bench_dates(t);
  select currency into cur from tenants where id = t;
  nd := coalesce(array_length(ds, 1), 0);
  na := coalesce(array_length(accts, 1), 0);
  if nd = 0 or na < 2 or busy is null then
    raise exception 'tenant % has no open period this year, too few accounts or no bank account', t;
  end if;
  while first < entries loop
    last := least(entries, first + per_batch) - 1;
    insert into journal_entries (tenant_id, number, entry_date, period_id, narration, source, currency)
    select t, prefix || lpad(n::text, 9, '0'), ds[1 + (n * nd / entries)::int], ps[1 + (n * nd / entries)::int],
           'Benchmark entry ' || n, 'manual', cur
      from generate_series(first, last) n;
    -- the statement trigger joins the new lines to journal_entries: with statistics that still see
    -- a near-empty table the planner loops over it once per line (a 100,000-line batch then takes
    -- 17 s instead of 2)
    analyze journal_entries;
    insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, entry_date, period_id, memo)
    select t, e.id, k,
           case when k = 2 then busy else accts[1 + ((n * 7 + k * 13) % na)] end,
           case when k % 2 = 1 then a else 0 end,
           case when k % 2 = 0 then a else 0 end,
           e.entry_date, e.period_id, null
      from generate_series(first, last) n
      join journal_entries e on e.tenant_id = t and e.number = prefix || lpad(n::text, 9, '0')
     cross join lateral generate_series(1, per_entry) k
     cross join lateral (select ((n * 31 + ((k + 1) / 2) * 17) % 100000 + 100) / 100.0 as a) amt
     -- an entry's lines side by side on disk, as postings write them (a busy account's lines are
     -- then spread over the whole table, not packed together)
     order by n, k;
    -- and the lines' statistics early and now and then
    if first = 0 or (first / per_batch) % 20 = 0 then
      analyze journal_lines;
    end if;
    commit;
    first := last + 1;
  end loop;
end $$;

-- `n` posted, unpaid supplier invoices (due dates spread over six months either side of today, so
-- every ageing bucket holds some), each with its entry: Dr consumption, Cr accounts payable for
-- the supplier with the invoice as bill_ref — the AP side as the service posts it (no invoice
-- lines, no GRNI: the ageing reads the invoices' totals).
create or replace procedure bench_invoices(t uuid, n int)
language plpgsql as $$
declare
  sups uuid[];
  ns int;
  author uuid;
  ap uuid;
  cons uuid;
  cur text;
  ds date[];
  ps uuid[];
  nd int;
  first int := 0;
  last int;
begin
  select array_agg(id order by code) into sups from suppliers where tenant_id = t;
  ns := array_length(sups, 1);
  select id into author from users where tenant_id = t and username = 'accountant';
  select id into ap from accounts where tenant_id = t and control = 'ap';
  select id into cons from accounts where tenant_id = t and control = 'consumption';
  select currency into cur from tenants where id = t;
  select array_agg(d order by d), array_agg(period_id order by d) into ds, ps
    from bench_dates(t) where d <= current_date;
  nd := array_length(ds, 1);
  while first < n loop
    last := least(n, first + 5000) - 1;
    insert into supplier_invoices (tenant_id, number, supplier_id, supplier_number, invoice_date, due_date,
                                   currency, status, match_status, subtotal, total, created_by)
    select t, 'BPI-' || lpad(i::text, 7, '0'), sups[1 + i % ns], 'BSN-' || i, ds[1 + i % nd],
           ds[1 + i % nd] + 30, cur, 'posted', 'matched', a, a, author
      from generate_series(first, last) i
     cross join lateral (select ((i * 37) % 500000 + 1000) / 100.0 as a) amt;
    analyze supplier_invoices;
    insert into journal_entries (tenant_id, number, entry_date, period_id, narration, source, source_id, currency, created_by)
    select t, 'BAP-' || substr(v.number, 5), v.invoice_date, ps[array_position(ds, v.invoice_date)],
           v.number || ' ' || v.supplier_number, 'supplier_invoice', v.id, cur, author
      from supplier_invoices v
     where v.tenant_id = t and v.number between 'BPI-' || lpad(first::text, 7, '0') and 'BPI-' || lpad(last::text, 7, '0');
    analyze journal_entries;
    insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, entry_date, period_id, supplier_id, bill_ref)
    select t, e.id, k, case when k = 1 then cons else ap end,
           case when k = 1 then v.total else 0 end, case when k = 2 then v.total else 0 end,
           e.entry_date, e.period_id, v.supplier_id, case when k = 2 then v.id end
      from supplier_invoices v
      join journal_entries e on e.tenant_id = t and e.source = 'supplier_invoice' and e.source_id = v.id
     cross join generate_series(1, 2) k
     where v.tenant_id = t and v.number between 'BPI-' || lpad(first::text, 7, '0') and 'BPI-' || lpad(last::text, 7, '0');
    update supplier_invoices v set entry_id = e.id
      from journal_entries e
     where v.tenant_id = t and e.tenant_id = t and e.source = 'supplier_invoice' and e.source_id = v.id
       and v.number between 'BPI-' || lpad(first::text, 7, '0') and 'BPI-' || lpad(last::text, 7, '0');
    commit;
    first := last + 1;
  end loop;
end $$;

\timing on
\echo main tenant demo: :main_lines lines in entries of :per_entry
select format('call bench_journal(%L, %L, %s, %s, %s)', id, 'BJ-', :main_lines, :per_entry, :batch_lines)
  from tenants where slug = 'demo' \gexec
\echo :invoices open supplier invoices in demo
select format('call bench_invoices(%L, %s)', id, :invoices) from tenants where slug = 'demo' \gexec
\echo the small tenants: :tenant_lines lines each
select format('call bench_journal(%L, %L, %s, %s, %s)', id, 'BJ-', :tenant_lines, :per_entry, :batch_lines)
  from tenants where slug like 'bench%' order by slug \gexec

-- account_balances equal the journal (debits, credits, how many lines), per tenant and account, or the seed fails (psql runs with
-- ON_ERROR_STOP, so the exception ends it with a failure)
\echo checking account_balances against the journal
do $$
declare
  bad int;
begin
  select count(*) into bad from (
    select 1
      from (select tenant_id, account_id, sum(debit) d, sum(credit) c, sum(lines) n from account_balances group by 1, 2) b
      full join (select tenant_id, account_id, sum(debit) d, sum(credit) c, count(*) n from journal_lines group by 1, 2) l
        on l.tenant_id = b.tenant_id and l.account_id = b.account_id
     where b.d is distinct from l.d or b.c is distinct from l.c or b.n is distinct from l.n
  ) x;
  if bad > 0 then
    raise exception 'account_balances disagree with the journal for % accounts', bad;
  end if;
end $$;
\echo account_balances agree with the journal
drop procedure bench_journal(uuid, text, bigint, int, int);
drop procedure bench_invoices(uuid, int);
drop function bench_dates(uuid);
vacuum analyze;
