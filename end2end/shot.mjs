import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3111";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
const page = await ctx.newPage();
await page.goto("/login");
await page.locator("input[name=tenant]").fill("demo");
await page.locator("#username").fill("engineer");
await page.locator("#password").fill("Millwright-demo-1");
await page.locator("form[action='/auth/login'] button[type=submit]").click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
const sup = await page.evaluate(async () => (await (await fetch("/api/v1/suppliers")).json()).data.suppliers);
const r = await page.evaluate(async (s) => {
  const res = await fetch("/api/v1/requisitions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ purpose: "daily_operations", lines: [
    { description: "Deep groove ball bearing 6205-2RS", quantity: "40", unit: "pcs", estimated_unit_price: "1250.50", supplier_id: s[0].id },
    { description: "Hydraulic hose 1/2in, 2 m, crimped fittings", quantity: "12", unit: "pcs", estimated_unit_price: "2800" },
    { description: "Nitrile gloves", quantity: "100", unit: "pairs", estimated_unit_price: "4.20", supplier_id: s[1].id } ] }) });
  return (await res.json()).data;
}, sup);
for (const lang of ["en", "ar"]) {
  await page.evaluate((l) => fetch("/api/v1/auth/me/language", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: l }) }), lang);
  await ctx.addCookies([{ name: "i18n_pref_locale", value: lang, url: base }]);
  await page.goto(`/procurement/requisitions/${r.id}`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `/tmp/shots/detail-${lang}.png`, fullPage: true });
}
await browser.close();
