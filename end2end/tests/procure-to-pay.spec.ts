import { test, expect, Page, Download } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { api, login, watchConsole, waitHydrated } from "./helpers";

/** A signed-in page of `saif` for `who` (their language is the tenant's: Hindi). */
async function signedIn(page: Page, who: string) {
  await login(page, "saif", who);
  await waitHydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "hi");
  return page;
}

/** A download started by clicking `link`: saved under test-results, its bytes. */
async function download(page: Page, link: ReturnType<Page["getByTestId"]>, name: string) {
  const [file]: [Download, void] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const path = `test-results/${name}`;
  await file.saveAs(path);
  return { path, bytes: readFileSync(path), suggested: file.suggestedFilename() };
}

// Lakh grouping: 2,88,392.00 (not 288,392.00)
const LAKH = /\d{1,2},\d{2},\d{3}\.\d{2}/;

test("saif pays a supplier: the accountant enters an invoice 8 % dearer, the procurement manager approves it on a phone, half is paid in a payment run, the AP ageing and trial balance download, the rest is paid by hand — all in Hindi, in lakhs", async ({ browser }) => {
  test.setTimeout(180_000);
  // the goods first: a requisition of gearboxes and bearings from Bengal Bearings, approved, ordered and received at Kolkata
  const eng = await signedIn(await (await browser.newContext()).newPage(), "engineer");
  const item = async (sku: string) => (await api(eng, "GET", `/api/v1/inventory?q=${sku}`)).json.data.items[0].id;
  const gearbox = await item("GBX-15-1");
  const bearing = await item("BRG-6205-2RS");
  const acct = await signedIn(await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage(), "accountant");
  const bengal = (await api(eng, "GET", "/api/v1/suppliers?q=BENGAL-BRG")).json.data.suppliers[0];
  const created = await api(eng, "POST", "/api/v1/requisitions", {
    purpose: "daily_operations",
    lines: [
      { item_id: gearbox, description: "Helical gearbox 15:1, 2.2 kW", quantity: "4", unit: "PCS", estimated_unit_price: "45000", supplier_id: bengal.id },
      { item_id: bearing, description: "Deep groove ball bearing 6205-2RS", quantity: "200", unit: "PCS", estimated_unit_price: "250", supplier_id: bengal.id },
    ],
  });
  expect(created.status).toBe(201);
  const req = created.json.data;
  expect((await api(eng, "POST", `/api/v1/requisitions/${req.id}/submit`, {})).status).toBe(200);
  // each stage's approver in turn until it is decided (2.3 lakh needs more than the manager)
  const approvers: Record<string, Page> = { accountant: acct };
  let status = "submitted";
  for (let pass = 0; pass < 2; pass++) {
    for (const who of ["manager", "procurement_mgr", "accountant", "executive"]) {
      if (status !== "submitted" && status !== "under_review") break;
      approvers[who] ??= await signedIn(await (await browser.newContext()).newPage(), who);
      const r = await api(approvers[who], "POST", `/api/v1/requisitions/${req.id}/approve`, {});
      if (r.status === 200) status = r.json.data.status;
    }
  }
  expect(status).toBe("approved");
  const proc = await signedIn(await (await browser.newContext()).newPage(), "procurement");
  const generated = await api(proc, "POST", "/api/v1/purchase-orders", { requisition_line_ids: req.lines.map((l: { id: string }) => l.id) });
  expect(generated.status).toBe(201);
  const po = generated.json.data.purchase_orders[0];
  if (po.status === "pending_approval") {
    const mgr = approvers["procurement_mgr"] ?? (await signedIn(await (await browser.newContext()).newPage(), "procurement_mgr"));
    expect((await api(mgr, "POST", `/api/v1/purchase-orders/${po.id}/approve`, {})).status).toBe(200);
  }
  const wh = await signedIn(await (await browser.newContext()).newPage(), "warehouse");
  const locations = (await api(wh, "GET", "/api/v1/locations")).json.data.locations as { id: string; plant: string; capacity: string | null; on_hand: string }[];
  const room = locations.find((l) => l.plant === "KOL" && (l.capacity === null || Number(l.capacity) - Number(l.on_hand) >= 204));
  expect(room).toBeTruthy();
  const received = await api(wh, "POST", "/api/v1/inventory/receive", {
    purchase_order_id: po.id,
    lines: po.lines.map((l: { id: string; quantity: string }) => ({ purchase_order_line_id: l.id, accepted_quantity: l.quantity, location_id: room!.id })),
  });
  expect(received.status).toBe(201);

  // the accountant, on a desktop, enters the supplier's invoice from what is left to bill
  const problems = watchConsole(acct);
  await acct.goto("/finance/invoices/new");
  await waitHydrated(acct);
  await expect(acct.getByRole("heading", { level: 1 })).toHaveText("आपूर्तिकर्ता बीजक दर्ज करें");
  await acct.locator("#inv-supplier-id").selectOption(bengal.id);
  await acct.getByTestId("orders").getByRole("checkbox", { name: new RegExp(po.number) }).check();
  const lines = acct.getByTestId("form-line");
  await expect(lines).toHaveCount(2);
  const gearboxLine = lines.filter({ hasText: "15:1" });
  const quantity = gearboxLine.getByLabel("मात्रा");
  await expect(quantity).toHaveValue("4");
  // the supplier charged 48,600 a gearbox: 8 % above the order's 45,000
  const price = gearboxLine.locator("input[id^='inv-p-']");
  await expect(price).toHaveValue(/^45000(\.0+)?$/);
  await price.fill("48600");
  // the supplier's own number (unique per order, so the journey can run again on the same data)
  const supplierNumber = `BB/${po.number.slice(-6)}`;
  await acct.locator("#inv-number").fill(supplierNumber);
  // 2,44,400 + 18 % GST = 2,88,392.00
  await expect(acct.getByTestId("total")).toHaveText(/2,88,392\.00/);
  await acct.screenshot({ path: "test-results/p2p-invoice-entry-hi.png", fullPage: true });
  await acct.getByTestId("save-submit").click();
  await expect(acct).toHaveURL(/\/finance\/invoices\/[0-9a-f-]{36}$/);
  const invoiceUrl = acct.url();
  const invoiceId = invoiceUrl.split("/").pop()!;
  await expect(acct.getByTestId("invoice-status")).toHaveText("अनुमोदन की प्रतीक्षा");
  await expect(acct.getByTestId("exception-note")).toBeVisible();
  await expect(acct.locator("[data-match='price_exception']")).toHaveCount(1);
  await expect(acct.locator("[data-match='price_exception']")).toContainText("15:1");
  await expect(acct.getByTestId("invoice-totals")).toContainText("₹2,88,392.00");
  // CGST and SGST (Kolkata buys from West Bengal), 21,996.00 each
  await expect(acct.getByTestId("invoice-totals")).toContainText("₹21,996.00");
  await expect(acct.getByTestId("approve")).toHaveCount(0); // who entered it does not decide it
  const invoiceNumber = (await api(acct, "GET", `/api/v1/supplier-invoices/${invoiceId}`)).json.data.number as string;

  // the procurement manager, on a phone, finds it in the approvals inbox and approves it
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const mgr = await signedIn(await phone.newPage(), "procurement_mgr");
  const mgrProblems = watchConsole(mgr);
  await mgr.goto("/approvals");
  await waitHydrated(mgr);
  await mgr.getByTestId("inbox").getByRole("link", { name: invoiceNumber }).click();
  await expect(mgr).toHaveURL(new RegExp(`/finance/invoices/${invoiceId}$`));
  await expect(mgr.locator("[data-match='price_exception']")).toBeVisible();
  await mgr.screenshot({ path: "test-results/p2p-approve-phone-hi.png", fullPage: true });
  // nothing wider than the phone
  expect(await mgr.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await mgr.locator("#inv-comment").fill("मूल्य फ़ोन पर तय हुआ");
  await mgr.getByTestId("approve").click();
  await expect(mgr.getByTestId("invoice-status")).toHaveText("खाते में दर्ज");
  expect(mgrProblems).toEqual([]);

  // the accountant pays half of it in a payment run
  await acct.goto("/finance/payment-runs");
  await waitHydrated(acct);
  const due = (await api(acct, "GET", `/api/v1/supplier-invoices/${invoiceId}`)).json.data.due_date as string;
  await acct.locator("#run-due").fill(due);
  await acct.getByTestId("propose-form").getByRole("checkbox", { name: "Bengal Bearings Pvt Ltd" }).check();
  await acct.getByTestId("propose").click();
  await expect(acct).toHaveURL(/\/finance\/payment-runs\/[0-9a-f-]{36}$/);
  const row = acct.getByTestId("run-invoice").filter({ hasText: supplierNumber });
  await expect(row.getByTestId("run-amount")).toHaveValue("288392.00");
  // (on data used before, the run proposes earlier invoices too: the total drops by half of this one)
  const amount = (text: string | null) => Number((text ?? "").replace(/[^0-9.]/g, ""));
  const proposed = amount(await acct.getByTestId("run-total").textContent());
  await row.getByTestId("run-amount").fill("144196");
  await row.getByRole("button", { name: "सहेजें" }).click();
  await expect(acct.getByTestId("run-total")).toHaveText(/\d{1,2},\d{2},\d{3}\.\d{2}$/);
  await expect.poll(async () => amount(await acct.getByTestId("run-total").textContent())).toBe(proposed - 144196);
  await acct.getByTestId("approve-run").click();
  await expect(acct.getByTestId("bank-file")).toBeVisible();
  await acct.screenshot({ path: "test-results/p2p-payment-run-hi.png", fullPage: true });
  const paid = (await api(acct, "GET", `/api/v1/supplier-invoices/${invoiceId}`)).json.data;
  expect([paid.status, paid.amount_due]).toEqual(["partially_paid", "144196.00"]);

  // the AP ageing on screen in lakhs, and as an Excel file
  await acct.goto("/finance/reports/ap-ageing");
  await waitHydrated(acct);
  const ageing = acct.getByTestId("ap-ageing");
  await expect(ageing.locator("tr", { hasText: "Bengal Bearings Pvt Ltd" })).toContainText("1,44,196.00");
  const xlsx = await download(acct, acct.getByTestId("download-xlsx"), "p2p-ap-ageing.xlsx");
  expect(xlsx.suggested).toMatch(/\.xlsx$/);
  expect(xlsx.bytes.subarray(0, 2).toString()).toBe("PK");
  const sheet = execFileSync("unzip", ["-p", xlsx.path, "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]).toString();
  expect(sheet).toContain("Bengal Bearings Pvt Ltd");
  expect(sheet).toContain("144196");

  // the trial balance as a PDF: Hindi headings, lakh grouping, balanced
  await acct.goto("/finance/trial-balance");
  await waitHydrated(acct);
  const totals = acct.getByTestId("tb-totals");
  await expect(totals).toContainText(LAKH);
  // the totals row: opening, debits, credits, closing — the period's debits equal its credits
  const [debits, credits] = [await totals.locator("td").nth(1).textContent(), await totals.locator("td").nth(2).textContent()];
  expect(debits).toMatch(LAKH);
  expect(debits).toBe(credits);
  const pdf = await download(acct, acct.getByTestId("download-pdf"), "p2p-trial-balance.pdf");
  expect(pdf.bytes.subarray(0, 5).toString()).toBe("%PDF-");
  const text = execFileSync("pdftotext", ["-layout", pdf.path, "-"]).toString();
  expect(text).toMatch(LAKH);
  expect(text).toContain("तलपट");

  // the rest is paid by a single payment: the form lists the suppliers owed, then the chosen one's open invoices
  await acct.goto("/finance/payments");
  await waitHydrated(acct);
  await acct.getByTestId("new-payment").click();
  await acct.getByTestId("pay-supplier").selectOption({ label: "Bengal Bearings Pvt Ltd" });
  const rest = acct.getByTestId("open-invoice").filter({ hasText: supplierNumber });
  await expect(rest).toContainText("₹1,44,196.00");
  await rest.getByTestId("pay-in-full").click();
  await expect(acct.getByTestId("pay-total")).toContainText("1,44,196.00");
  await acct.getByTestId("pay").click();
  await expect.poll(async () => (await api(acct, "GET", `/api/v1/supplier-invoices/${invoiceId}`)).json.data.status).toBe("paid");
  expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
});
