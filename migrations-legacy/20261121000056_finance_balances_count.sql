-- The finance benchmark (issue 26): the running balances count their lines too, so the general
-- ledger's page count reads the balances of whole periods, not every line of the account.
alter table account_balances add column lines bigint not null default 0;
update account_balances b
   set lines = (select count(*) from journal_lines l
                 where l.tenant_id = b.tenant_id and l.account_id = b.account_id and l.period_id = b.period_id
                   and coalesce(l.plant_id, '00000000-0000-0000-0000-000000000000'::uuid) = b.plant_key
                   and coalesce(l.cost_centre_id, '00000000-0000-0000-0000-000000000000'::uuid) = b.cost_centre_key);

create or replace function journal_lines_post() returns trigger language plpgsql as $$
begin
  if exists (select 1 from new_lines l
               join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
              where e.txid <> txid_current() or e.entry_date <> l.entry_date or e.period_id <> l.period_id) then
    raise exception 'journal lines join an entry of their own transaction, with its date and period'
      using errcode = '23514', constraint = 'journal_lines_entry';
  end if;
  insert into account_balances as b (tenant_id, account_id, period_id, plant_key, cost_centre_key, debit, credit, lines)
  select tenant_id, account_id, period_id,
         coalesce(plant_id, '00000000-0000-0000-0000-000000000000'::uuid),
         coalesce(cost_centre_id, '00000000-0000-0000-0000-000000000000'::uuid),
         sum(debit), sum(credit), count(*)
    from new_lines
   group by 1, 2, 3, 4, 5
   order by 1, 3, 2, 4, 5
  on conflict (tenant_id, period_id, account_id, plant_key, cost_centre_key)
  do update set debit = b.debit + excluded.debit, credit = b.credit + excluded.credit, lines = b.lines + excluded.lines;
  return null;
end $$;
