-- Signals (NOTIFY) of the busiest transactions are sent after their commit. Every committing
-- transaction that has issued NOTIFY takes PostgreSQL's one notification lock until its commit
-- (WAL flush included) is done, so such commits run one at a time: on two busy cores the
-- requisition transitions queued behind each other there. A transaction that sets
-- `millwright.defer_signals` collects its signals in `millwright.signals` instead, and the
-- application sends them once the commit has succeeded (`db::commit_signalled`). Every other
-- transaction notifies as before.
create or replace function emit_signal(channel text, payload text) returns boolean
language plpgsql as $$
begin
  if coalesce(current_setting('millwright.defer_signals', true), '') = 'on' then
    perform set_config('millwright.signals',
      coalesce(current_setting('millwright.signals', true), '') || channel || '|' || payload || ';', true);
    return false;
  end if;
  perform pg_notify(channel, payload);
  return true;
end
$$;

create or replace function notify_change() returns trigger language plpgsql as $$
declare
  flag text := 'millwright.changed_' || tg_argv[0];
  tenant text := coalesce(nullif(current_setting('app.tenant_id', true), ''), '*');
begin
  if coalesce(current_setting(flag, true), '') <> tenant then
    perform set_config(flag, tenant, true);
    perform emit_signal('millwright_changes', tg_argv[0] || ':' || tenant);
  end if;
  return null;
end
$$;
