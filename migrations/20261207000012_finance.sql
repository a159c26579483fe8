-- Finance's ledger (issue 26): a tenant's chart of accounts, its fiscal years and their monthly
-- periods, and the double-entry journal with running balances. The database itself keeps the
-- journal honest: every entry balances when its transaction commits, nothing in it is ever
-- updated or deleted (corrections are reversing entries), lines join only an entry of their own
-- transaction, nothing posts into a closed period, and the balances per account, period, plant and
-- cost centre move in the statement that writes the lines.

create table accounts (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$'),
  name text not null check (length(btrim(name)) between 1 and 200),
  kind text not null check (kind in ('asset', 'liability', 'equity', 'income', 'expense')),
  -- a group holds accounts and groups; only an account (not a group) is posted to
  is_group boolean not null default false,
  parent_id uuid,
  -- the role an account plays for postings made by the product (null: an ordinary account)
  control text check (control in ('ap', 'grni', 'inventory', 'gst_input_cgst', 'gst_input_sgst',
    'gst_input_igst', 'tax_input', 'tds_payable', 'bank', 'price_variance', 'stock_adjustment',
    'consumption', 'in_transit', 'opening_balance')),
  -- an inventory account may be one plant's; the one without a plant serves the others
  plant_id uuid,
  currency char(3) check (currency ~ '^[A-Z]{3}$'),
  -- the ledger's name in TallyPrime, when it differs from ours
  tally_name text check (tally_name is null or length(btrim(tally_name)) between 1 and 200),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  check (not (is_group and control is not null)),
  check (plant_id is null or control = 'inventory'),
  check (parent_id is null or parent_id <> id),
  foreign key (tenant_id, parent_id) references accounts(tenant_id, id),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id)
);
create index accounts_parent on accounts (tenant_id, parent_id);
-- one account per role (per plant for inventory); a company may keep several banks
create unique index accounts_control_once on accounts
  (tenant_id, control, coalesce(plant_id, '00000000-0000-0000-0000-000000000000'::uuid))
  where control is not null and control <> 'bank';
create trigger accounts_touch before update on accounts for each row execute function touch_updated_at();

-- A group's kind is its children's; a branch never hangs under itself.
create function accounts_tree_check() returns trigger language plpgsql as $$
declare
  found_cycle boolean;
  parent_kind text;
  parent_group boolean;
begin
  if new.parent_id is null then
    return new;
  end if;
  select kind, is_group into parent_kind, parent_group
    from accounts where tenant_id = new.tenant_id and id = new.parent_id;
  if not parent_group then
    raise exception 'an account hangs under a group' using errcode = '23514', constraint = 'accounts_parent_group';
  end if;
  if parent_kind <> new.kind then
    raise exception 'an account has its group''s kind' using errcode = '23514', constraint = 'accounts_parent_kind';
  end if;
  with recursive up(id, parent_id) as (
    select id, parent_id from accounts where tenant_id = new.tenant_id and id = new.parent_id
    union all
    select a.id, a.parent_id from accounts a join up on a.tenant_id = new.tenant_id and a.id = up.parent_id
  ) cycle id set is_cycle using path
  select exists (select 1 from up where id = new.id) into found_cycle;
  if found_cycle then
    raise exception 'an account group cannot hang under itself' using errcode = '23514', constraint = 'accounts_cycle';
  end if;
  return new;
end $$;
create trigger accounts_tree before insert or update of parent_id, kind on accounts
  for each row execute function accounts_tree_check();

create table fiscal_years (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 40),
  start_date date not null,
  end_date date not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, name),
  unique (tenant_id, start_date),
  check (end_date > start_date and end_date < start_date + 731)
);

create table fiscal_periods (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  fiscal_year_id uuid not null,
  number smallint not null check (number between 1 and 24),
  start_date date not null,
  end_date date not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  closed_by uuid,
  closed_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, start_date),
  unique (tenant_id, fiscal_year_id, number),
  check (end_date >= start_date),
  check ((status = 'closed') = (closed_at is not null)),
  foreign key (tenant_id, fiscal_year_id) references fiscal_years(tenant_id, id),
  foreign key (tenant_id, closed_by) references users(tenant_id, id)
);
-- the period of a date
create index fiscal_periods_dates on fiscal_periods (tenant_id, end_date, start_date);

create table journal_entries (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  number text not null,
  entry_date date not null,
  period_id uuid not null,
  narration text not null check (length(narration) between 1 and 500),
  -- what made it: a manual entry, or the document whose event it records
  source text not null check (source in ('manual', 'opening', 'goods_receipt', 'stock_issue',
    'stock_transfer', 'stock_adjustment', 'stock_reversal', 'supplier_invoice', 'payment', 'reversal')),
  source_id uuid,
  -- the entry this one reverses (at most once)
  reverses uuid,
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  created_by uuid,
  created_at timestamptz not null default now(),
  -- the transaction that wrote it: lines join only an entry of their own transaction
  txid bigint not null default txid_current(),
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, period_id) references fiscal_periods(tenant_id, id),
  foreign key (tenant_id, reverses) references journal_entries(tenant_id, id),
  foreign key (tenant_id, created_by) references users(tenant_id, id)
);
create unique index journal_entries_reversed_once on journal_entries (tenant_id, reverses) where reverses is not null;
create index journal_entries_date on journal_entries (tenant_id, entry_date, number);
create index journal_entries_source on journal_entries (tenant_id, source, source_id);

create table journal_lines (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  entry_id uuid not null,
  line_no smallint not null check (line_no >= 1),
  account_id uuid not null,
  debit numeric(20,4) not null default 0 check (debit >= 0),
  credit numeric(20,4) not null default 0 check (credit >= 0),
  -- the entry's date and period, kept on each line for the ledger of an account
  entry_date date not null,
  period_id uuid not null,
  plant_id uuid,
  cost_centre_id uuid,
  -- accounts payable: whose; bill-wise reference: the supplier invoice (AP) or the purchase-order
  -- line (GRNI) it concerns; the stock movement or document line it records
  supplier_id uuid,
  bill_ref uuid,
  source_line_id uuid,
  memo text check (memo is null or length(memo) <= 300),
  primary key (tenant_id, id),
  unique (tenant_id, entry_id, line_no),
  check ((debit > 0) <> (credit > 0)),
  foreign key (tenant_id, entry_id) references journal_entries(tenant_id, id),
  foreign key (tenant_id, account_id) references accounts(tenant_id, id),
  foreign key (tenant_id, period_id) references fiscal_periods(tenant_id, id),
  foreign key (tenant_id, plant_id) references plants(tenant_id, id),
  foreign key (tenant_id, cost_centre_id) references cost_centres(tenant_id, id)
);
create index journal_lines_entry on journal_lines (tenant_id, entry_id);
-- the general ledger of an account, in date order
create index journal_lines_account on journal_lines (tenant_id, account_id, entry_date, entry_id, line_no);
create index journal_lines_bill on journal_lines (tenant_id, bill_ref) where bill_ref is not null;
create index journal_lines_source_line on journal_lines (tenant_id, source_line_id) where source_line_id is not null;
create index journal_lines_supplier on journal_lines (tenant_id, supplier_id, entry_date) where supplier_id is not null;

-- Running balances: the trial balance sums these, never the journal. Plant and cost centre are
-- the nil UUID when a line has none.
create table account_balances (
  tenant_id uuid not null references tenants(id),
  account_id uuid not null,
  period_id uuid not null,
  plant_key uuid not null,
  cost_centre_key uuid not null,
  debit numeric(20,4) not null default 0,
  credit numeric(20,4) not null default 0,
  primary key (tenant_id, period_id, account_id, plant_key, cost_centre_key),
  foreign key (tenant_id, account_id) references accounts(tenant_id, id),
  foreign key (tenant_id, period_id) references fiscal_periods(tenant_id, id)
);
create index account_balances_account on account_balances (tenant_id, account_id, period_id);

create function journal_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'the journal is never edited: post a reversing entry' using errcode = '55000';
end $$;
create trigger journal_entries_immutable before update or delete on journal_entries
  for each row execute function journal_immutable();
create trigger journal_lines_immutable before update or delete on journal_lines
  for each row execute function journal_immutable();

-- Nothing posts into a closed period (the period row is read under a share lock, so a close waits
-- for postings in flight and a posting waits for a close).
create function journal_entries_open_period() returns trigger language plpgsql as $$
declare
  period_status text;
begin
  select status into period_status from fiscal_periods
   where tenant_id = new.tenant_id and id = new.period_id
     and new.entry_date between start_date and end_date
   for share;
  if period_status is null then
    raise exception 'the entry''s date is outside its period' using errcode = '23514', constraint = 'journal_entry_period';
  end if;
  if period_status <> 'open' then
    raise exception 'the period is closed' using errcode = '23514', constraint = 'journal_entry_period_closed';
  end if;
  return new;
end $$;
create trigger journal_entries_period before insert on journal_entries
  for each row execute function journal_entries_open_period();

-- Every entry balances, checked when its transaction commits (its lines are written after it).
create function journal_entry_balanced() returns trigger language plpgsql as $$
declare
  d numeric;
  c numeric;
  n int;
begin
  select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
    from journal_lines where tenant_id = new.tenant_id and entry_id = new.id;
  if n < 2 or d <> c then
    raise exception 'journal entry % does not balance (debits %, credits %, % lines)', new.number, d, c, n
      using errcode = '23514', constraint = 'journal_entry_balanced';
  end if;
  return null;
end $$;
create constraint trigger journal_entries_balanced after insert on journal_entries
  deferrable initially deferred for each row execute function journal_entry_balanced();

-- Lines join an entry of their own transaction only, carry its date and period, and move the
-- balances in the same statement (in one order, so concurrent postings never deadlock).
create function journal_lines_post() returns trigger language plpgsql as $$
begin
  if exists (select 1 from new_lines l
               join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
              where e.txid <> txid_current() or e.entry_date <> l.entry_date or e.period_id <> l.period_id) then
    raise exception 'journal lines join an entry of their own transaction, with its date and period'
      using errcode = '23514', constraint = 'journal_lines_entry';
  end if;
  insert into account_balances as b (tenant_id, account_id, period_id, plant_key, cost_centre_key, debit, credit)
  select tenant_id, account_id, period_id,
         coalesce(plant_id, '00000000-0000-0000-0000-000000000000'::uuid),
         coalesce(cost_centre_id, '00000000-0000-0000-0000-000000000000'::uuid),
         sum(debit), sum(credit)
    from new_lines
   group by 1, 2, 3, 4, 5
   order by 1, 3, 2, 4, 5
  on conflict (tenant_id, period_id, account_id, plant_key, cost_centre_key)
  do update set debit = b.debit + excluded.debit, credit = b.credit + excluded.credit;
  return null;
end $$;
create trigger journal_lines_posted after insert on journal_lines
  referencing new table as new_lines for each statement execute function journal_lines_post();

-- A group is never posted to.
create function journal_lines_account_check() returns trigger language plpgsql as $$
begin
  if exists (select 1 from accounts where tenant_id = new.tenant_id and id = new.account_id and is_group) then
    raise exception 'a group is not posted to' using errcode = '23514', constraint = 'journal_lines_group';
  end if;
  return new;
end $$;
create trigger journal_lines_account before insert on journal_lines
  for each row execute function journal_lines_account_check();

do $$
declare
  t text;
begin
  foreach t in array array['accounts', 'fiscal_years', 'fiscal_periods', 'journal_entries', 'journal_lines', 'account_balances'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
end $$;
grant select, insert, update on accounts to millwright_app;
grant select, insert on fiscal_years to millwright_app;
grant select, insert, update on fiscal_periods to millwright_app;
-- the journal is written once and read: the application cannot change or remove it
grant select, insert on journal_entries, journal_lines to millwright_app;
grant select, insert, update on account_balances to millwright_app;
