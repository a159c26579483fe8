import { chromium } from "playwright";
const BASE = "http://127.0.0.1:3310";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
async function run(locale, viewport, name, tenant) {
  const ctx = await browser.newContext({ viewport });
  await ctx.addCookies([{ name: "i18n_pref_locale", value: locale, url: BASE }]);
  const page = await ctx.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(BASE + "/login");
  await page.locator("#tenant").fill(tenant);
  await page.locator("#username").fill("admin");
  await page.locator("#password").fill("Millwright-demo-1");
  await page.locator("form[action='/auth/login'] button[type=submit]").click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  // switch language for this user
  await page.evaluate(async (l) => { await fetch("/api/v1/auth/me/language", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: l }) }); }, locale);
  await page.goto(BASE + "/inventory/items/new");
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `/tmp/e2erun/${name}-new.png`, fullPage: true });
  await page.locator("#ie-sku").fill("TST-1");
  await page.locator("#ie-name-en").fill("Test item");
  await page.locator("#ie-name-ar").fill("صنف تجريبي");
  const hsn = page.locator("#ie-hsn");
  if (await hsn.count()) await hsn.fill("12A");
  await page.locator("button[type=submit]").last().click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/e2erun/${name}-err.png`, fullPage: false });
  if (await hsn.count()) await hsn.fill("8482");
  await page.locator("#ie-gst").count() && await page.locator("#ie-gst").fill("18");
  await page.locator("button[type=submit]").last().click();
  await page.waitForTimeout(2000);
  console.log(name, page.url(), errors);
  await page.screenshot({ path: `/tmp/e2erun/${name}-saved.png`, fullPage: true });
  await ctx.close();
}
await run("ar", { width: 360, height: 740 }, "ar360", "saif");
await run("hi", { width: 1280, height: 900 }, "hidesk", "saif");
await browser.close();
