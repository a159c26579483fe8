-- Where each user is signed in (issue 25): one row per browser session bound to a user, written
-- when a sign-in (or sign-up) binds the session and removed when it ends (sign-out, an ended
-- session, a password reset or change, expiry). The row keeps the SHA-256 of the session id, not
-- the id: reading this table hands nobody a working cookie.
--
-- Ending a session deletes its record from tower_sessions.session, found by that same hash
-- through an expression index (the ids themselves are random, 128 bits).
create function session_key_hash(p_id text) returns bytea
language sql immutable strict parallel safe as $$
  select sha256(convert_to(p_id, 'UTF8'))
$$;
grant execute on function session_key_hash(text) to millwright_app;
create index session_key_hash on tower_sessions.session (session_key_hash(id));

create table user_sessions (
  tenant_id uuid not null references tenants(id),
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  session_hash bytea not null check (length(session_hash) = 32),
  created_at timestamptz not null default now(),
  -- written at most once a minute per session
  last_seen_at timestamptz not null default now(),
  ip text check (length(ip) <= 64),
  user_agent text check (length(user_agent) <= 512),
  primary key (tenant_id, id),
  unique (tenant_id, session_hash),
  foreign key (tenant_id, user_id) references users(tenant_id, id)
);
-- a user's sessions: the account page's list, and ending them all (password reset and change,
-- deactivation, an administrator's "end all sessions")
create index user_sessions_user on user_sessions (tenant_id, user_id, last_seen_at desc);
alter table user_sessions enable row level security;
alter table user_sessions force row level security;
create policy tenant_isolation on user_sessions using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
grant select, insert, update, delete on user_sessions to millwright_app;

-- Rows whose session has expired or gone, in every tenant (the hourly sweep, which runs outside
-- any tenant).
create function sweep_user_sessions() returns bigint
language sql volatile security definer set search_path = public as $$
  with gone as (
    delete from user_sessions us
     where not exists (select 1 from tower_sessions.session s
                        where session_key_hash(s.id) = us.session_hash and s.expiry_date > now())
    returning 1
  )
  select count(*) from gone
$$;
revoke all on function sweep_user_sessions() from public;
grant execute on function sweep_user_sessions() to millwright_app;

-- A password reset link is asked for by user name or e-mail address.
create index users_email on users (tenant_id, lower(email));
