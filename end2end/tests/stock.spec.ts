import { test, expect, type Locator } from "@playwright/test";
import { api, login, watchConsole, waitHydrated } from "./helpers";

/** Left-to-right text on an Arabic page: on one line, ending where its `cell`'s content starts (its
 *  right edge, inside its padding), as the Arabic around it does. */
async function oneLineAtTheRight(code: Locator, cell: string, what: string) {
  const [lines, gap] = await code.evaluate((el, sel) => {
    const box = el.closest(sel)!;
    const right = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
    return [el.getClientRects().length, right - el.getBoundingClientRect().right];
  }, cell);
  expect(lines, what).toBe(1);
  expect(Math.abs(gap), what).toBeLessThan(2);
}

test("a CSV import reports its errors by line, then imports; the new item is adjusted, issued and the issue reversed", async ({ page }) => {
  const problems = watchConsole(page);
  const tag = Date.now().toString(36).toUpperCase();
  await login(page, "demo", "warehouse");
  await waitHydrated(page);
  await page.goto("/inventory/import");
  await waitHydrated(page);

  // a file with mistakes: nothing is imported, every mistake has its line
  await page.getByLabel("CSV file").setInputFiles({
    name: "pumps.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`sku,unit,name_en,reorder_level\nPMP-${tag}-1,pcs,Dosing pump,2\nPMP-${tag}-1,pcs,Dosing pump again,2\nPMP-${tag}-3,pcs,,x\n`),
  });
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page).toHaveURL(/\/inventory\/import\/[0-9a-f-]{36}$/);
  const job = page.getByTestId("import-job");
  await expect(job).toHaveAttribute("data-status", "failed", { timeout: 20_000 });
  const errors = page.getByTestId("import-errors");
  await expect(errors.locator("tr", { hasText: "name_en" })).toContainText("4");
  await expect(errors.locator("tr", { hasText: "reorder_level" })).toContainText("Write a number");

  // corrected: a progress bar, then done
  await page.getByRole("link", { name: "Upload a corrected file" }).click();
  await page.getByLabel("CSV file").setInputFiles({
    name: "pumps.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`sku,unit,name_en,name_hi,reorder_level,reorder_quantity\nPMP-${tag}-1,pcs,Dosing pump ${tag},डोज़िंग पंप,2,5\nPMP-${tag}-2,pcs,Screw pump ${tag},स्क्रू पंप,0,0\n`),
  });
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page.getByTestId("import-done")).toContainText("2 items imported", { timeout: 20_000 });
  await expect(page.locator("progress")).toHaveAttribute("value", "2");

  // the item page: no stock yet; a count finds 5, 2 are issued, the issue is reversed
  await page.goto(`/inventory?q=PMP-${tag}-1`);
  await waitHydrated(page);
  await page.getByRole("link", { name: `Dosing pump ${tag}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Dosing pump ${tag}`);
  await waitHydrated(page);
  await expect(page.getByText("None in stock.")).toBeVisible();
  await page.getByLabel("What to do").selectOption("adjust");
  await page.getByLabel("Change (+ found, − lost)").fill("5");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByTestId("stock-form").getByText("This field is required.")).toBeVisible(); // the reason
  await page.getByLabel("Reason", { exact: true }).fill("Found in the stores");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByTestId("stock-table")).toContainText("5");
  await page.getByLabel("What to do").selectOption("issue");
  await page.getByLabel("Quantity", { exact: true }).fill("2");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByTestId("movements").locator("tbody tr").first()).toContainText("-2");
  await expect(page.getByTestId("stock-table").locator("tbody tr").first()).toContainText("3");
  await page.getByTestId("movements").locator("tbody tr").first().getByRole("button", { name: "Reverse" }).click();
  await page.getByLabel("Why is it reversed?").fill("Issued by mistake");
  await page.getByTestId("reverse-form").getByRole("button", { name: "Reverse" }).click();
  await expect(page.getByTestId("movements").locator("tbody tr").first()).toContainText("Reversal");
  await expect(page.getByTestId("stock-table").locator("tbody tr").first()).toContainText("5");
  // the refused posting (no reason) is the one 422 the browser reports
  expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
});

test("on a phone in Arabic: search with facets and stock by plant, an item page, and printable UID labels", async ({ browser }) => {
  // goods with UIDs: a received and accepted order of proximity sensors (serialised)
  const eng = await (await browser.newContext()).newPage();
  await login(eng, "demo", "engineer");
  await waitHydrated(eng);
  const item = (await api(eng, "GET", "/api/v1/inventory?q=SEN-PRX-M18")).json.data.items[0];
  const acme = (await api(eng, "GET", "/api/v1/suppliers?q=ACME")).json.data.suppliers[0].id;
  const req = (await api(eng, "POST", "/api/v1/requisitions", {
    purpose: "daily_operations",
    lines: [{ item_id: item.id, description: "Inductive proximity sensor M18", quantity: "2", unit: "pcs", estimated_unit_price: "20", supplier_id: acme }],
  })).json.data;
  expect((await api(eng, "POST", `/api/v1/requisitions/${req.id}/submit`, {})).status).toBe(200);
  const mgr = await (await browser.newContext()).newPage();
  await login(mgr, "demo", "manager");
  await waitHydrated(mgr);
  expect((await api(mgr, "POST", `/api/v1/requisitions/${req.id}/approve`, {})).status).toBe(200);
  const proc = await (await browser.newContext()).newPage();
  await login(proc, "demo", "procurement");
  await waitHydrated(proc);
  const po = (await api(proc, "POST", "/api/v1/purchase-orders", { requisition_line_ids: [req.lines[0].id] })).json.data.purchase_orders[0];
  const wh = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  const problems = watchConsole(wh);
  await login(wh, "demo", "warehouse");
  await waitHydrated(wh);
  const location = (await api(wh, "GET", "/api/v1/locations")).json.data.locations[0].id;
  const received = await api(wh, "POST", "/api/v1/inventory/receive", {
    purchase_order_id: po.id,
    lines: [{ purchase_order_line_id: po.lines[0].id, accepted_quantity: "2", location_id: location }],
  });
  expect(received.status).toBe(201);
  const receipt = received.json.data;

  await wh.evaluate(() => fetch("/api/v1/auth/me/language", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: "ar" }) }));
  try {
    // search: facets with counts, stock per plant in every row
    await wh.goto("/inventory?q=bearing");
    await waitHydrated(wh);
    await expect(wh.locator("html")).toHaveAttribute("dir", "rtl");
    const facets = wh.getByTestId("facets");
    await expect(facets).toContainText("محامل"); // Bearings
    await expect(facets).toContainText(/\(\d+\)/);
    await expect(wh.getByTestId("plant-stock").first()).toContainText("MAI");
    // a model number in an Arabic name shows as written (isolated left to right)
    await expect(wh.getByTestId("results")).toContainText("\u20666205-2RS\u2069");
    await wh.screenshot({ path: "test-results/search-ar-phone.png", fullPage: true });
    // the item page
    await wh.getByTestId("results").getByRole("link").first().click();
    await expect(wh.getByTestId("stock-table")).toBeVisible();
    await expect(wh.getByText("المخزون حسب الموقع")).toBeVisible(); // Stock by location
    const width = await wh.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    // its figures and codes read left to right but sit where the Arabic labels are: the reorder
    // level under its label, the location code unbroken in its cell
    await oneLineAtTheRight(wh.locator("dd span[dir=ltr]").first(), "dd", "reorder level");
    await oneLineAtTheRight(wh.getByTestId("stock-table").locator("td span.font-mono").first(), "td", "location");
    await wh.screenshot({ path: "test-results/item-ar-phone.png", fullPage: true });
    // labels of the receipt, each with its QR code
    await wh.goto(`/inventory/labels?receipt=${receipt.id}`);
    await waitHydrated(wh);
    const labels = wh.getByTestId("labels").locator("li");
    await expect(labels).toHaveCount(2);
    await expect(labels.first().locator("svg")).toBeVisible();
    await expect(labels.first()).toContainText(receipt.lines[0].uids[0]);
    await wh.screenshot({ path: "test-results/labels-ar-phone.png", fullPage: true });
    // a UID's traceability: the Arabic name, its SKU on a line of its own, left to right
    await wh.goto(`/inventory/uids/${receipt.lines[0].uids[0]}`);
    await waitHydrated(wh);
    await expect(wh.getByTestId("trace")).toContainText("حساس تقارب حثي");
    await expect(wh.getByTestId("trace-sku")).toHaveText("SEN-PRX-M18");
    await expect(wh.getByTestId("trace-sku")).toHaveAttribute("dir", "ltr");
    // the UID and the location code each on one line (not broken at their hyphens), left to
    // right, on the right-hand side of their cells like the Arabic around them
    for (const id of ["trace-uid", "trace-location"]) {
      await expect(wh.getByTestId(id)).toHaveAttribute("dir", "ltr");
      await oneLineAtTheRight(wh.getByTestId(id), "dd", id);
    }
    await expect(wh.getByTestId("trace-uid")).toHaveText(receipt.lines[0].uids[0]);
    await wh.screenshot({ path: "test-results/trace-ar-phone.png", fullPage: true });
  } finally {
    await wh.evaluate(() => fetch("/api/v1/auth/me/language", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: "en" }) }));
  }
  expect(problems).toEqual([]);
});
