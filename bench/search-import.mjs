// Uploads a CSV to POST /api/v1/items/import and follows the job until it ends.
// Usage: node bench/search-import.mjs BASE COOKIE FILE  → one JSON line {status, rows, seconds, rows_per_s, errors}
import { createReadStream, statSync } from "node:fs";
const [base, cookie, file] = process.argv.slice(2);
const t0 = performance.now();
const res = await fetch(`${base}/api/v1/items/import`, {
  method: "POST",
  headers: { cookie, origin: base, "content-type": "text/csv", "content-length": String(statSync(file).size) },
  body: createReadStream(file),
  duplex: "half",
});
const started = await res.json();
if (res.status !== 202) { console.log(JSON.stringify({ status: `http ${res.status}`, body: started })); process.exit(1); }
const id = started.data.job_id;
const uploaded = performance.now();
for (;;) {
  await new Promise((r) => setTimeout(r, 250));
  const job = (await (await fetch(`${base}/api/v1/jobs/${id}`, { headers: { cookie } })).json()).data;
  if (job.status === "succeeded" || job.status === "failed") {
    const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ status: job.status, rows: job.imported, seconds: Math.round(s * 10) / 10,
      upload_seconds: Math.round((uploaded - t0) / 100) / 10, rows_per_s: Math.round(job.imported / s),
      errors: job.errors.slice(0, 3) }));
    process.exit(job.status === "succeeded" ? 0 : 1);
  }
}
