import { chromium } from "playwright";
const BASE = "http://127.0.0.1:3310";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
await ctx.addCookies([{ name: "i18n_pref_locale", value: "ar", url: BASE }]);
const page = await ctx.newPage();
const errors = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text().slice(0, 200)); });
await page.goto(BASE + "/login");
await page.locator("#tenant").fill("demo");
await page.locator("#username").fill("admin");
await page.locator("#password").fill("Millwright-demo-1");
await page.locator("form[action='/auth/login'] button[type=submit]").click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
await page.evaluate(async () => { await fetch("/api/v1/auth/me/language", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: "ar" }) }); });
for (const [path, name] of [["/inventory/categories", "cats"], ["/inventory/locations", "locs"], ["/inventory/units", "units"], ["/inventory/items/new", "newitem"]]) {
  await page.goto(BASE + path);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(800);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  console.log(name, "overflow", overflow, errors.splice(0));
  await page.screenshot({ path: `/tmp/e2erun/${name}-ar.png`, fullPage: true });
}
await browser.close();
