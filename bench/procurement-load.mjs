// Load driver of bench/procurement: purchase-order generation from 100 approved requisitions
// (made by create → submit → approve cycles), after optional cycles by concurrent clients for
// SECONDS (the benchmark passes 0: its cycles are driven by wrk, bench/procurement-cycles.lua).
// Node's own fetch; prints one JSON object. Usage: node bench/procurement-load.mjs BASE SECONDS CLIENTS ROUNDS
const [base, secondsArg, clientsArg, roundsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 20);
const clients = Number(clientsArg || 32);
const rounds = Number(roundsArg || 5);

async function login(username) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ tenant: 'demo', username, password: 'Millwright-demo-1' }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mw_session='));
  return cookie;
}

async function call(cookie, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

const pct = (xs, p) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const engineer = await login('engineer');
const manager = await login('manager');
const procurement = await login('procurement');
const suppliers = (await call(procurement, 'GET', '/api/v1/suppliers')).suppliers.map((s) => s.id);
const lines = (i) => [
  { description: 'Deep groove ball bearing 6205-2RS', quantity: '12', unit: 'pcs', estimated_unit_price: '4.80', supplier_id: suppliers[i % suppliers.length] },
  { description: 'V-belt A42', quantity: '6', unit: 'pcs', estimated_unit_price: '11.25', supplier_id: suppliers[(i + 1) % suppliers.length] },
];

async function cycle(i) {
  const r = await call(engineer, 'POST', '/api/v1/requisitions', { purpose: 'daily_operations', needed_by: '2027-01-15', lines: lines(i) });
  await call(engineer, 'POST', `/api/v1/requisitions/${r.id}/submit`, {});
  const a = await call(manager, 'POST', `/api/v1/requisitions/${r.id}/approve`, { comment: 'ok' });
  if (a.status !== 'approved') throw new Error(`not approved: ${a.status}`);
  return a;
}

// 1. cycles at `clients` concurrency for `seconds`
const latencies = [];
let errors = 0;
let n = 0;
const until = Date.now() + seconds * 1000;
const started = Date.now();
await Promise.all(Array.from({ length: clients }, async () => {
  while (Date.now() < until) {
    const t0 = performance.now();
    try {
      await cycle(n++);
      latencies.push(performance.now() - t0);
    } catch (e) {
      errors++;
      if (errors < 5) console.error(String(e));
    }
  }
}));
const elapsed = (Date.now() - started) / 1000;

// 2. PO generation from 100 approved requisitions (200 lines, one PO per supplier), `rounds` times
const generation = [];
let orders = 0;
for (let round = 0; round < rounds; round++) {
  const approved = [];
  for (let b = 0; b < 100; b += 20) {
    approved.push(...(await Promise.all(Array.from({ length: 20 }, (_, k) => cycle(b + k)))));
  }
  const ids = approved.flatMap((r) => r.lines.map((l) => l.id));
  const t0 = performance.now();
  const out = await call(procurement, 'POST', '/api/v1/purchase-orders', { requisition_line_ids: ids });
  generation.push(performance.now() - t0);
  orders = out.purchase_orders.length;
}

console.log(JSON.stringify({
  cycles: latencies.length,
  cycle_errors: errors,
  cycles_per_s: latencies.length / elapsed,
  cycle_p50_ms: pct(latencies, 50),
  cycle_p95_ms: pct(latencies, 95),
  cycle_p99_ms: pct(latencies, 99),
  po_generation_ms: generation,
  po_generation_median_ms: pct(generation, 50),
  po_orders_per_generation: orders,
}));
