import { test, expect } from "@playwright/test";
import { api, login, watchConsole, waitHydrated } from "./helpers";

test("the warehouse receives a PO on a phone, the requester accepts, the stock appears and a misspelled Hindi search finds it", async ({ browser }) => {
  // an approved requisition of welding electrodes, ordered from ACME
  const eng = await (await browser.newContext()).newPage();
  await login(eng, "demo", "engineer");
  await waitHydrated(eng);
  const items = await api(eng, "GET", "/api/v1/inventory?q=CON-WLD-E7018");
  const item = items.json.data.items[0];
  expect(item.available).toBe("60");
  const suppliers = await api(eng, "GET", "/api/v1/suppliers?q=ACME");
  const acme = suppliers.json.data.suppliers[0].id;
  const created = await api(eng, "POST", "/api/v1/requisitions", {
    purpose: "daily_operations",
    lines: [{ item_id: item.id, description: "Welding electrode E7018 3.2 mm", quantity: "25", unit: "kg", estimated_unit_price: "3.10", supplier_id: acme }],
  });
  expect(created.status).toBe(201);
  const req = created.json.data;
  expect((await api(eng, "POST", `/api/v1/requisitions/${req.id}/submit`, {})).status).toBe(200);
  const mgr = await (await browser.newContext()).newPage();
  await login(mgr, "demo", "manager");
  await waitHydrated(mgr);
  expect((await api(mgr, "POST", `/api/v1/requisitions/${req.id}/approve`, {})).status).toBe(200);
  const proc = await (await browser.newContext()).newPage();
  await login(proc, "demo", "procurement");
  await waitHydrated(proc);
  const generated = await api(proc, "POST", "/api/v1/purchase-orders", { requisition_line_ids: [req.lines[0].id] });
  expect(generated.status).toBe(201);
  const po = generated.json.data.purchase_orders[0];

  // the warehouse, on a phone
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const wh = await phone.newPage();
  const problems = watchConsole(wh);
  await login(wh, "demo", "warehouse");
  await waitHydrated(wh);
  await wh.goto("/inventory/receive");
  await waitHydrated(wh);
  await wh.getByLabel("Purchase order").selectOption({ label: `${po.number} — Acme Industrial Supply` });
  const line = wh.getByTestId("receive-line").first();
  await expect(line.getByLabel("Accepted")).toHaveValue("25");
  await line.getByLabel("Accepted").fill("24");
  await line.getByLabel("Rejected").fill("1");
  await wh.getByRole("button", { name: "Confirm receipt" }).click();
  await expect(line.getByText("This field is required.")).toBeVisible(); // a rejection needs its reason
  await line.getByLabel("Reason for rejection").fill("Wet packaging");
  await wh.getByRole("button", { name: "Confirm receipt" }).click();
  const receipt = wh.getByTestId("receipt");
  await expect(receipt).toContainText(/GRN-\d{4}-\d{6}/);
  const uid = (await receipt.getByRole("link", { name: /^UID-/ }).first().textContent()) ?? "";
  // UID-{TENANT}-{PLANT}-{TYPE}-{SEQUENCE}-{CHECK}: welding electrodes are a consumable (CN)
  expect(uid).toMatch(/^UID-DEMO-MAI-CN-\d{6}-[0-9A-Z]{2}$/);
  await wh.screenshot({ path: "test-results/receive-phone.png", fullPage: true });
  // the UID page traces it back; a mistyped UID is refused
  await receipt.getByRole("link", { name: /^UID-/ }).first().click();
  await expect(wh.getByTestId("trace")).toContainText(po.number);
  await expect(wh.getByTestId("uid-status")).toHaveText("Received");
  // the sequence's last digit mistyped
  const typo = uid.slice(0, -4) + (uid.slice(-4, -3) === "9" ? "8" : "9") + uid.slice(-3);
  await wh.getByLabel("UID").fill(typo);
  await wh.getByRole("button", { name: "Search" }).click();
  await expect(wh.getByRole("alert")).toContainText("check character");
  expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);

  // pending acceptance: on hand, not yet available
  let now = await api(eng, "GET", "/api/v1/inventory?q=CON-WLD-E7018");
  expect([now.json.data.items[0].on_hand, now.json.data.items[0].available]).toEqual(["84", "60"]);
  // the requester follows the notification and accepts
  await eng.goto("/notifications");
  await waitHydrated(eng);
  await eng.getByRole("link", { name: /have arrived/ }).first().click();
  await expect(eng.getByRole("heading", { level: 1 })).toHaveText("Goods receipt");
  await eng.getByRole("button", { name: "Accept the goods" }).click();
  await expect(eng.getByTestId("receipt")).toContainText("Accepted: the goods are available.");
  now = await api(eng, "GET", "/api/v1/inventory?q=CON-WLD-E7018");
  expect(now.json.data.items[0].available).toBe("84");

  // a search in Hindi with a misspelled word finds it, named in Hindi
  expect((await api(eng, "PUT", "/api/v1/auth/me/language", { language: "hi" })).status).toBe(200);
  await eng.goto("/inventory");
  await waitHydrated(eng);
  await eng.locator("#inv-q").fill("वेल्डिग इलेक्ट्रोड");
  await eng.locator("#inv-q").press("Enter");
  const results = eng.getByTestId("results");
  await expect(results.locator("li").first()).toContainText("वेल्डिंग इलेक्ट्रोड E7018");
  await expect(results.locator("li").first()).toContainText("84");
  // later journeys expect the engineer in English
  expect((await api(eng, "PUT", "/api/v1/auth/me/language", { language: "en" })).status).toBe(200);
});
