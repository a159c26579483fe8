// Load driver of bench/finance (issue 26), everything through REST in tenant `demo`:
//  1. the accountant's reports, one request at a time after a warm-up, RUNS timed runs each:
//     GET /api/v1/reports/trial-balance?from&to (the fiscal year around today),
//     GET /api/v1/reports/general-ledger?account_id&from&to&page=1 (the busy bank account: the bulk
//     seed credits it on every entry), GET /api/v1/reports/ap-ageing, and (no target) the trial
//     balance page's default, GET /api/v1/reports/trial-balance (the year up to today);
//  2. INVOICES received order lines prepared beforehand (requisitions of 100 free-text lines from
//     one supplier: create, submit as `engineer`, approve as `manager`, an order generated as
//     `procurement`, received in full as `warehouse`), then matched invoices posted end to end at
//     CLIENTS concurrent clients as `accountant`: POST /api/v1/supplier-invoices (one line,
//     exactly what was ordered and received) then POST /api/v1/supplier-invoices/{id}/submit,
//     which must answer `posted`; invoices/s and latency of one invoice (both requests).
// Samples the server's RSS (SERVER_PID) and PostgreSQL's (every process of the cluster whose
// postmaster.pid is in PG_DIR: RSS summed, and PSS summed, which counts shared memory once)
// every 250 ms in each phase. Prints one JSON object. POSTING_ONLY=1 leaves the reports out (their
// fields are null): bench/finance posts a second time against the server in another configuration.
// Usage: SERVER_PID=… PG_DIR=… node bench/finance-load.mjs BASE RUNS WARMUP INVOICES CLIENTS
import fs from 'node:fs';
import { execFile, spawn } from 'node:child_process';

const [base, runsArg, warmupArg, invoicesArg, clientsArg] = process.argv.slice(2);
const runs = Number(runsArg || 50);
const warmup = Number(warmupArg || 10);
const invoices = Number(invoicesArg || 500);
const clients = Number(clientsArg || 16);
const PER_REQUISITION = 100;

async function login(username) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ tenant: 'demo', username, password: 'Millwright-demo-1' }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mw_session='));
}

async function call(cookie, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return { data: JSON.parse(text).data, bytes: text.length };
}

const pct = (xs, p) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r2 = (x) => Math.round(x * 100) / 100;
const stats = (xs) => ({ n: xs.length, p50_ms: r2(pct(xs, 50)), p95_ms: r2(pct(xs, 95)), max_ms: r2(Math.max(...xs)) });

// --- memory ----------------------------------------------------------------------------------
const serverPid = Number(process.env.SERVER_PID || 0);
const pgDir = process.env.PG_DIR || '';
const kb = (file, key) => {
  try {
    const m = fs.readFileSync(file, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};
function pgPids() {
  let pm;
  try {
    pm = Number(fs.readFileSync(`${pgDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const pids = [pm];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pm) pids.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return pids;
}
function memory() {
  const pids = pgPids();
  return {
    server_rss_mb: kb(`/proc/${serverPid}/status`, 'VmRSS') / 1024,
    server_hwm_mb: kb(`/proc/${serverPid}/status`, 'VmHWM') / 1024,
    pg_rss_sum_mb: pids.reduce((t, p) => t + kb(`/proc/${p}/status`, 'VmRSS'), 0) / 1024,
    pg_pss_sum_mb: pids.reduce((t, p) => t + kb(`/proc/${p}/smaps_rollup`, 'Pss'), 0) / 1024,
    pg_processes: pids.length,
  };
}
// Peaks sampled every `every` ms: each sample reads every process's /proc entry and PostgreSQL's
// page tables (smaps_rollup), which on two cores is not free, so the posting is sampled every second.
async function sampled(fn, every = 250) {
  const peak = {};
  const take = () => {
    for (const [k, v] of Object.entries(memory())) peak[k] = Math.max(peak[k] || 0, v);
  };
  take();
  const timer = setInterval(take, every);
  try {
    return { result: await fn(), memory: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v)])) };
  } finally {
    clearInterval(timer);
    take();
  }
}

// CPU time (clock ticks of /proc/<pid>/stat, utime + stime) of the server, of PostgreSQL's
// processes, of this client and of the whole machine (/proc/stat) across a phase: in cores used on
// average, which says whether the server, PostgreSQL or neither (then locks) limits a phase.
const ticks = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
};
function cpuNow() {
  const m = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const pg = new Map(pgPids().map((p) => [p, ticks(p)]));
  // the client: this process and its finished children (the posting client, bench/post-load)
  const own = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = own.slice(own.lastIndexOf(')') + 2).split(' ');
  const client = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return { t: performance.now(), server: ticks(serverPid), pg, client,
    busy: m[0] + m[1] + m[2] + m[5] + m[6] + m[7], all: m.slice(0, 8).reduce((a, b) => a + b, 0) };
}
function cpuSince(a) {
  const b = cpuNow();
  const s = (b.t - a.t) / 1000;
  // a PostgreSQL process that began during the phase counts from zero
  let pg = 0;
  for (const [p, v] of b.pg) pg += v - (a.pg.get(p) || 0);
  const cores = (x) => r2(x / 100 / s);
  return { seconds: r2(s), server_cores: cores(b.server - a.server), postgres_cores: cores(pg),
    client_cores: cores(b.client - a.client), machine_busy_cores: cores(b.busy - a.busy),
    machine_cores: Math.round((b.all - a.all) / 100 / s) };
}

// What PostgreSQL's busy sessions wait on (PG_URL), sampled every 500 ms while invoices are
// posted: the top of it says where 16 clients queue. One psql session asked again and again (a
// psql started per sample cost the machine a process and a PostgreSQL backend each time).
const WAITS_SQL = `select coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' | ' ||
  left(regexp_replace(query, '\\s+', ' ', 'g'), 70) from pg_stat_activity
  where backend_type = 'client backend' and state = 'active' and pid <> pg_backend_pid();`;
function sampleWaits() {
  const counts = new Map();
  let samples = 0;
  if (!process.env.PG_URL) return () => ({ samples, top: [] });
  const psql = spawn('psql', ['-X', '-At', '-q', process.env.PG_URL], { stdio: ['pipe', 'pipe', 'ignore'] });
  psql.on('error', () => {});
  let out = '';
  psql.stdout.on('data', (d) => {
    out += d;
    let end;
    while ((end = out.indexOf('@@sample\n')) >= 0) {
      samples++;
      for (const l of out.slice(0, end).split('\n').filter(Boolean)) counts.set(l, (counts.get(l) || 0) + 1);
      out = out.slice(end + '@@sample\n'.length);
    }
  });
  const timer = setInterval(() => psql.stdin.write(`${WAITS_SQL}\n\\echo @@sample\n`), 500);
  return () => {
    clearInterval(timer);
    psql.stdin.end();
    return { samples, top: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([what, n]) => ({ what, n })) };
  };
}

// --- set-up ----------------------------------------------------------------------------------
const accountant = await login('accountant');
const engineer = await login('engineer');
const manager = await login('manager');
const procurement = await login('procurement');
const warehouse = await login('warehouse');
const today = new Date().toISOString().slice(0, 10);
const years = (await call(accountant, 'GET', '/api/v1/fiscal-years')).data.fiscal_years;
const year = years.find((y) => y.start_date <= today && today <= y.end_date) || years[years.length - 1];
const accounts = (await call(accountant, 'GET', '/api/v1/accounts')).data.accounts;
const busy = accounts.filter((a) => a.control === 'bank' && !a.is_group).sort((a, b) => (a.code < b.code ? -1 : 1))[0];
if (!busy) throw new Error('no bank account in demo');

// --- 1. reports ------------------------------------------------------------------------------
async function timed(cookie, path) {
  for (let i = 0; i < warmup; i++) await call(cookie, 'GET', path);
  const ms = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await call(cookie, 'GET', path);
    ms.push(performance.now() - t0);
  }
  return { path, ...stats(ms), response_bytes: last.bytes, data: last.data };
}
const range = `from=${year.start_date}&to=${year.end_date}`;
const postingOnly = Boolean(process.env.POSTING_ONLY);
const reports = postingOnly ? { result: null, memory: null } : await sampled(async () => {
  const tb = await timed(accountant, `/api/v1/reports/trial-balance?${range}`);
  const gl = await timed(accountant, `/api/v1/reports/general-ledger?account_id=${busy.id}&${range}&page=1`);
  const ag = await timed(accountant, '/api/v1/reports/ap-ageing');
  // not a target: the trial balance page's default, the year up to today, whose last period is
  // cut by today and read from the journal's lines
  const ytd = await timed(accountant, '/api/v1/reports/trial-balance');
  const strip = ({ data, ...rest }) => rest;
  return {
    trial_balance: { ...strip(tb), accounts: tb.data.rows.length, debit: tb.data.totals.debit, credit: tb.data.totals.credit },
    general_ledger: { ...strip(gl), account: `${busy.code} ${busy.name}`, lines_in_range: gl.data.total, lines_on_page: gl.data.lines.length },
    ap_ageing: { ...strip(ag), suppliers: ag.data.rows.length, total_due: ag.data.totals.total },
    trial_balance_to_date: { ...strip(ytd), from: ytd.data.from, to: ytd.data.to, accounts: ytd.data.rows.length },
  };
});

// --- 2. invoices -----------------------------------------------------------------------------
const supplier = (await call(procurement, 'GET', '/api/v1/suppliers')).data.suppliers[0].id;
const prepStart = performance.now();
const orderLines = [];
async function prepare(n) {
  const lines = Array.from({ length: n }, (_, i) => ({
    description: `Benchmark part ${i + 1}`, quantity: '4', unit: 'pcs', estimated_unit_price: '12.50', supplier_id: supplier,
  }));
  const r = (await call(engineer, 'POST', '/api/v1/requisitions', { purpose: 'daily_operations', needed_by: '2027-06-30', lines })).data;
  await call(engineer, 'POST', `/api/v1/requisitions/${r.id}/submit`, {});
  const a = (await call(manager, 'POST', `/api/v1/requisitions/${r.id}/approve`, { comment: 'ok' })).data;
  if (a.status !== 'approved') throw new Error(`requisition not approved: ${a.status}`);
  const orders = (await call(procurement, 'POST', '/api/v1/purchase-orders', { requisition_line_ids: a.lines.map((l) => l.id) })).data.purchase_orders;
  for (const po of orders) {
    await call(warehouse, 'POST', '/api/v1/inventory/receive', {
      purchase_order_id: po.id,
      lines: po.lines.map((l) => ({ purchase_order_line_id: l.id, accepted_quantity: l.quantity })),
    });
    for (const l of po.lines) orderLines.push({ supplier: po.supplier.id, line: l.id, quantity: l.quantity, price: l.unit_price });
  }
}
const invWarmup = Math.min(32, Math.max(clients, Math.floor(invoices / 20)));
// then a few at one client: how far 16 clients scale over one
const single = Math.max(20, Math.min(200, Math.floor(invoices / 5)));
const wanted = invoices + invWarmup + single;
const batches = [];
for (let left = wanted; left > 0; left -= PER_REQUISITION) batches.push(Math.min(PER_REQUISITION, left));
for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map(prepare));
const prepS = (performance.now() - prepStart) / 1000;
// The preparation wrote thousands of requisition, order and receipt lines in seconds into tables
// the seed left nearly empty; PostgreSQL's autovacuum gathers their statistics within a minute or
// so, but the posting would start before it and run on plans made for empty tables (measured: 86
// to 148 invoices/s against 257 with statistics; the order-line read went from 0.12 to 6.4 ms).
// A production database is never in that state for long: the statistics are gathered first.
if (process.env.PG_URL) {
  await new Promise((resolve, reject) => execFile('psql', ['-X', '-q', process.env.PG_URL, '-c', 'analyze'], (err) => (err ? reject(err) : resolve())));
}

const tag = Date.now().toString(36);
// The invoices are posted by tools/post-load (POST_LOAD_BIN), a client in Rust: Node's fetch took
// about 2.7 ms of CPU per invoice, a third of one of the two cores at 130 invoices/s. Each invoice:
// POST /api/v1/supplier-invoices (must answer match_status `matched`), then POST …/submit (must
// answer `posted`); the latency of both and of the submission alone.
function drive(queue, offset, clients) {
  return new Promise((resolve, reject) => {
    const bin = process.env.POST_LOAD_BIN || 'target/release/post-load';
    const p = spawn(bin, [base, accountant, String(clients), tag, String(offset), today], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`post-load exited with ${code}`))));
    p.stdin.end(JSON.stringify(queue));
  });
}
await drive(orderLines.slice(0, invWarmup), 0, clients);
const stopWaits = sampleWaits();
const cpuStart = cpuNow();
const posting = await sampled(() => drive(orderLines.slice(invWarmup, invWarmup + invoices), invWarmup, clients), 1000);
const postingCpu = cpuSince(cpuStart);
const waits = stopWaits();
const p = posting.result;
const one = await drive(orderLines.slice(invWarmup + invoices), invWarmup + invoices, 1);

console.log(JSON.stringify({
  fiscal_year: { name: year.name, from: year.start_date, to: year.end_date },
  runs, warmup,
  reports: reports.result,
  reports_memory: reports.memory,
  invoice_posting: {
    clients, prepared_order_lines: orderLines.length, preparation_s: r2(prepS), warmup_invoices: invWarmup,
    posted: p.ms.length, errors: p.errors, seconds: r2(p.seconds), invoices_per_s: r2(p.ms.length / p.seconds),
    ...stats(p.ms),
    submit: stats(p.submit),
  },
  invoice_posting_one_client: {
    posted: one.ms.length, errors: one.errors, invoices_per_s: r2(one.ms.length / one.seconds), ...stats(one.ms), submit: stats(one.submit),
  },
  invoice_posting_memory: posting.memory,
  invoice_posting_waits: waits,
  invoice_posting_cpu: postingCpu,
  memory_end: Object.fromEntries(Object.entries(memory()).map(([k, v]) => [k, Math.round(v)])),
}));
