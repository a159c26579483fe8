// The sign-in benchmark's client (bench/signin runs it): set-up through REST only, then timed
// POST /api/v1/auth/login. Prints one JSON object on stdout (progress on stderr).
//
//   BASE        the server (http://127.0.0.1:3197)
//   USERS       users per kind (600): bench-a-NNN sign in with a password, bench-b-NNN with a
//               password and a TOTP code in the same request
//   PAIRS       measured pairs (A then B) one at a time (400)
//   CPAIRS      measured pairs at 4 concurrent clients (400, shared out among them)
//   CLIENTS     concurrent clients (4)
//   WARMUP      unmeasured pairs first (20)
//   UNKNOWN     sign-ins of an unknown user, one at a time (100): they fail (401) after verifying
//               against the dummy hash — argon2 plus the lookups and the audit of a failure
//   ARGON2_BIN  bench/argon2-time, built: in the one-at-a-time run, each pair is followed by one
//               argon2id verify alone in that process (A, B, V, A, B, V …; V is not a request)
//
// TOTP codes are RFC 6238 (HMAC-SHA-1, 6 digits, 30 s) computed here from the secret that
// /auth/totp/setup answered. The server accepts a code once per user and step, so B users are
// rotated: a user signs in only in a later step than the one it last used (its enrolment
// included); when every B user has used the current step, the client waits for the next one
// (the wait is not measured).
import { createHmac } from "node:crypto";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const BASE = process.env.BASE || "http://127.0.0.1:3197";
const USERS = Number(process.env.USERS || 600);
const PAIRS = Number(process.env.PAIRS || 400);
const CPAIRS = Number(process.env.CPAIRS || 400);
const CLIENTS = Number(process.env.CLIENTS || 4);
const WARMUP = Number(process.env.WARMUP || 20);
const UNKNOWN = Number(process.env.UNKNOWN || 100);
const ARGON2_BIN = process.env.ARGON2_BIN;
const TENANT = "demo";
const PASSWORD = "Bench-signin-password-1";
const log = (...a) => console.error("[signin]", ...a);

// --- RFC 6238 -----------------------------------------------------------------------------
function base32Decode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = text.toUpperCase().replace(/[^A-Z2-7]/g, "");
  let bits = 0, value = 0;
  const out = [];
  for (const c of clean) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
const stepNow = () => Math.floor(Date.now() / 1000 / 30);
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1_000_000).padStart(6, "0");
}
// RFC 6238 appendix B, SHA-1: the client's codes must be right before anything is timed
{
  const key = Buffer.from("12345678901234567890");
  const vectors = [[59, "94287082"], [1111111109, "07081804"], [1234567890, "89005924"]];
  for (const [t, want] of vectors) {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
    const mac = createHmac("sha1", key).update(counter).digest();
    const off = mac[mac.length - 1] & 0x0f;
    const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
    const got = String(bin % 1e8).padStart(8, "0");
    if (got !== want) throw new Error(`RFC 6238 vector at ${t}: ${got} != ${want}`);
  }
  if (totp(key, 1) !== "287082") throw new Error("6-digit truncation");
}

// --- HTTP ---------------------------------------------------------------------------------
async function call(method, path, body, cookie) {
  const headers = { origin: BASE, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (cookie) headers.cookie = cookie;
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  const set = res.headers.getSetCookie().find((c) => c.startsWith("mw_session="));
  return { status: res.status, json, text, cookie: set ? set.split(";")[0] : null };
}
async function must(method, path, body, cookie, want = [200, 201]) {
  const r = await call(method, path, body, cookie);
  if (!want.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}
async function pool(items, width, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- set-up through REST ------------------------------------------------------------------
const pad = (i) => String(i + 1).padStart(3, "0");
const aUsers = Array.from({ length: USERS }, (_, i) => ({ username: `bench-a-${pad(i)}` }));
const bUsers = Array.from({ length: USERS }, (_, i) => ({ username: `bench-b-${pad(i)}`, lastStep: -1 }));

const admin = await must("POST", "/api/v1/auth/login", { tenant: TENANT, username: "admin", password: "Millwright-demo-1" });
if (!admin.cookie) throw new Error("no session cookie for admin");
const setupStart = Date.now();
log(`creating ${2 * USERS} users (role Engineer) as admin`);
await pool([...aUsers, ...bUsers], 2, async (u) => {
  await must("POST", "/api/v1/users", {
    username: u.username, display_name: `Bench ${u.username}`, email: `${u.username}@bench.example`,
    roles: ["Engineer"], password: PASSWORD,
  }, admin.cookie);
});
log(`enrolling ${USERS} users in TOTP (sign in, /auth/totp/setup, /auth/totp/enable)`);
await pool(bUsers, 2, async (u) => {
  const s = await must("POST", "/api/v1/auth/login", { tenant: TENANT, username: u.username, password: PASSWORD });
  const setup = await must("POST", "/api/v1/auth/totp/setup", undefined, s.cookie);
  u.secret = base32Decode(setup.json.data.secret);
  const step = stepNow();
  const e = await must("POST", "/api/v1/auth/totp/enable", { code: totp(u.secret, step) }, s.cookie);
  if (e.json.data.recovery_codes.length !== 10) throw new Error("recovery codes");
  u.lastStep = step;
  await must("POST", "/api/v1/auth/logout", undefined, s.cookie);
});
const setupSecs = (Date.now() - setupStart) / 1000;
log(`set-up took ${setupSecs.toFixed(0)} s`);

// --- the measured sign-ins ----------------------------------------------------------------
let aNext = 0;
let failures = 0;
const failureSamples = [];
let totpWaits = 0;
function nextA() {
  const u = aUsers[aNext % aUsers.length];
  aNext += 1;
  return u;
}
// a B user that has not used the current step; claimed at once (the clients share the list)
let bNext = 0;
async function nextB() {
  for (;;) {
    const step = stepNow();
    for (let k = 0; k < bUsers.length; k++) {
      const u = bUsers[(bNext + k) % bUsers.length];
      if (u.lastStep < step) {
        bNext = (bNext + k + 1) % bUsers.length;
        u.lastStep = step;
        return { u, step };
      }
    }
    totpWaits += 1;
    await sleep(Math.max(10, (step + 1) * 30000 - Date.now() + 20));
  }
}
async function signIn(kind) {
  let body;
  if (kind === "A") {
    body = { tenant: TENANT, username: nextA().username, password: PASSWORD };
  } else {
    const { u, step } = await nextB();
    body = { tenant: TENANT, username: u.username, password: PASSWORD, totp: totp(u.secret, step) };
  }
  const t = performance.now();
  const r = await call("POST", "/api/v1/auth/login", body);
  const ms = performance.now() - t;
  if (r.status !== 200 || !r.cookie) {
    failures += 1;
    if (failureSamples.length < 5) failureSamples.push(`${kind} ${body.username}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  return ms;
}
// argon2-time in stdin mode: one verify per line written, its milliseconds answered
let verifyAlone = null;
if (ARGON2_BIN) {
  const child = spawn(ARGON2_BIN, ["stdin", "server"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  verifyAlone = {
    async once() {
      child.stdin.write("\n");
      const { value, done } = await lines.next();
      if (done) throw new Error("argon2-time ended");
      return Number(value);
    },
    end() { child.stdin.end(); },
  };
}
// pairs A, B one after the other; the order alternates from pair to pair (A B, B A, A B …) so
// that whatever the first or second request of a pair pays hits both kinds alike
async function pairs(n, clients, withVerify = false) {
  const A = [], B = [], V = [], diff = [];
  let left = n;
  let waited = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    let k = 0;
    while (left > 0) {
      left -= 1;
      const timeB = async () => {
        const w = totpWaits;
        const t = performance.now();
        const b = await signIn("B");
        if (totpWaits !== w) waited += performance.now() - t - b;
        return b;
      };
      let a, b;
      if (k % 2 === 0) {
        a = await signIn("A");
        b = await timeB();
      } else {
        b = await timeB();
        a = await signIn("A");
      }
      k += 1;
      A.push(a); B.push(b); diff.push(b - a);
      if (withVerify && verifyAlone) V.push(await verifyAlone.once());
    }
  }));
  // waits for a fresh TOTP step are left out of the rate (one client: exact; several: close)
  return { A, B, V, diff, secs: (performance.now() - start - waited / clients) / 1000 };
}

// the server's own time for sign-ins answered `status` (its /metrics histogram): sum and count
async function serverTime(status) {
  const text = await (await fetch(BASE + "/metrics")).text();
  const pick = (name) => {
    const re = new RegExp(`^${name}\\{method="POST",route="/api/v1/auth/login",status="${status}"\\} ([0-9.e+-]+)$`, "m");
    const m = text.match(re);
    return m ? Number(m[1]) : 0;
  };
  return { sum: pick("http_request_duration_seconds_sum"), count: pick("http_request_duration_seconds_count") };
}

log(`warm-up: ${WARMUP} pairs`);
await pairs(WARMUP, 1);
const warmFailures = failures;
if (warmFailures) throw new Error(`warm-up sign-ins failed: ${failureSamples.join("; ")}`);

log(`sequential: ${PAIRS} pairs A, B, A, B …`);
const before = await serverTime(200);
const seq = await pairs(PAIRS, 1, true);
const after = await serverTime(200);
const seqServerMeanMs = after.count > before.count ? (1000 * (after.sum - before.sum)) / (after.count - before.count) : null;
verifyAlone?.end();
log(`concurrent: ${CPAIRS} pairs at ${CLIENTS} clients`);
const conc = await pairs(CPAIRS, CLIENTS);

log(`unknown user: ${UNKNOWN} sign-ins, one at a time (expected 401)`);
const unknown = [];
let unknownOther = 0;
for (let i = 0; i < UNKNOWN; i++) {
  const t = performance.now();
  const r = await call("POST", "/api/v1/auth/login", { tenant: TENANT, username: `nobody-${i}`, password: PASSWORD });
  unknown.push(performance.now() - t);
  if (r.status !== 401) unknownOther += 1;
}

// What a successful sign-in's commits cost: PostgreSQL's synchronous_commit off, on, off, on
// (psql on PG_URL), each time COMMIT_PAIRS pairs of (password sign-in, unknown user) one at a time.
// A successful sign-in commits four times (the sign-in, the session row, the list of sessions,
// the session's data), a failed one once.
const commitCheck = [];
if (process.env.PG_URL && Number(process.env.COMMIT_PAIRS || 60) > 0) {
  const { execFileSync } = await import("node:child_process");
  const setSync = (mode) => execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", process.env.PG_URL,
    "-c", `alter system set synchronous_commit = ${mode}`, "-c", "select pg_reload_conf()"], { stdio: ["ignore", "ignore", "inherit"] });
  for (const mode of ["off", "on", "off", "on"]) {
    setSync(mode);
    log(`commit check: synchronous_commit ${mode}`);
    const ok = [], unknownUser = [];
    for (let i = 0; i < Number(process.env.COMMIT_PAIRS || 60); i++) {
      const t0 = performance.now();
      const r0 = await call("POST", "/api/v1/auth/login", { tenant: TENANT, username: nextA().username, password: PASSWORD });
      ok.push(performance.now() - t0);
      if (r0.status !== 200) failures += 1;
      const t1 = performance.now();
      await call("POST", "/api/v1/auth/login", { tenant: TENANT, username: `nobody-c${i}`, password: PASSWORD });
      unknownUser.push(performance.now() - t1);
    }
    commitCheck.push({ synchronous_commit: mode, ok, unknownUser });
  }
  setSync("on");
}

// --- figures ------------------------------------------------------------------------------
function q(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil(p * s.length))) - 1];
}
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r2 = (x) => Math.round(x * 100) / 100;
function figures(run) {
  return {
    pairs: run.A.length,
    seconds: r2(run.secs),
    sign_ins_per_s: r2((run.A.length + run.B.length) / run.secs),
    a_median_ms: r2(med(run.A)), a_p95_ms: r2(q(run.A, 0.95)),
    b_median_ms: r2(med(run.B)), b_p95_ms: r2(q(run.B, 0.95)),
    b_minus_a_median_ms: r2(med(run.B) - med(run.A)),
    paired_diff_median_ms: r2(med(run.diff)),
  };
}
console.log(JSON.stringify({
  users_per_kind: USERS,
  setup_s: r2(setupSecs),
  sequential: figures(seq),
  concurrent: { clients: CLIENTS, ...figures(conc) },
  argon2_interleaved: seq.V.length ? { verifies: seq.V.length, median_ms: r2(med(seq.V)), p95_ms: r2(q(seq.V, 0.95)) } : null,
  sequential_server_mean_ms: seqServerMeanMs === null ? null : r2(seqServerMeanMs),
  sequential_client_mean_ms: r2([...seq.A, ...seq.B].reduce((x, y) => x + y, 0) / (seq.A.length + seq.B.length)),
  commit_check: commitCheck.map((c) => ({ synchronous_commit: c.synchronous_commit, pairs: c.ok.length,
    sign_in_median_ms: r2(med(c.ok)), unknown_user_median_ms: r2(med(c.unknownUser)),
    difference_ms: r2(med(c.ok) - med(c.unknownUser)) })),
  unknown_user: { sign_ins: UNKNOWN, median_ms: r2(med(unknown)), p95_ms: r2(q(unknown, 0.95)), not_401: unknownOther },
  failures,
  failure_samples: failureSamples,
  totp_step_waits: totpWaits,
}));
