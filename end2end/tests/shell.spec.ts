import { test, expect, Locator, Page } from "@playwright/test";
import { login, watchConsole, waitHydrated, PASSWORD } from "./helpers";

test("an engineer logs in and sees the shell with their name, roles and modules", async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, "demo", "engineer");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hello, Ravi Engineer");
  await expect(page.getByTestId("tenant-name")).toHaveText("Demo Manufacturing");
  await expect(page.getByTestId("roles")).toContainText("Engineer");
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await expect(nav.getByRole("link", { name: "Procurement" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Inventory" })).toBeVisible();
  // an engineer may not administer the tenant or approve
  await expect(nav.getByRole("link", { name: "Administration" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Approvals" })).toHaveCount(0);
  await expect(page.getByTestId("sample-amount")).toHaveText("$123,456.50");
  await waitHydrated(page);
  // client-side navigation after hydration
  await nav.getByRole("link", { name: "Inventory" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inventory");
  expect(problems).toEqual([]);
});

test("a wrong password shows a translated error and changes nothing", async ({ page, context }) => {
  await context.addCookies([{ name: "i18n_pref_locale", value: "hi", url: test.info().project.use.baseURL! }]);
  await login(page, "demo", "manager", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("कंपनी कोड, उपयोगकर्ता नाम या पासवर्ड गलत है।");
  await expect(page.locator("html")).toHaveAttribute("lang", "hi");
  // the form keeps what was typed, except the password
  await expect(page.locator("#tenant")).toHaveValue("demo");
  await expect(page.locator("#username")).toHaveValue("manager");
  // and the right password still works afterwards
  await login(page, "demo", "manager", PASSWORD);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Meera Manager");
});

test("switching to Arabic renders right-to-left, survives a reload and the next login", async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, "demo", "procurement");
  await waitHydrated(page);
  await page.getByLabel("Language").selectOption("ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا، Prakash Procurement");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  // the control is labelled "Language" in each locale
  await expect(page.getByLabel("اللغة")).toHaveValue("ar");
  await page.getByText("Prakash Procurement").first().click();
  await page.getByRole("button", { name: "تسجيل الخروج" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.context().clearCookies();
  await login(page, "demo", "procurement");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  // back to English for the other tests
  await waitHydrated(page);
  await page.getByLabel("اللغة").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  expect(problems).toEqual([]);
});

test("a tenant's default language applies to its users: saif works in Hindi with lakh grouping", async ({ page }) => {
  await login(page, "saif", "accountant");
  await expect(page.locator("html")).toHaveAttribute("lang", "hi");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("नमस्ते, Anita Accountant");
  await expect(page.getByTestId("sample-amount")).toHaveText("₹1,23,456.50");
  await expect(page.getByTestId("tenant-name")).toHaveText("Saif Automations – Kolkata");
});

test("logout ends the session", async ({ page }) => {
  await login(page, "demo", "warehouse");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Wasim Warehouse");
  await page.getByText("Wasim Warehouse").first().click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

/** Only a hydrated page follows a link without reloading: a mark left on the window survives. */
async function expectHydrated(page: Page, link: Locator, to: RegExp) {
  await page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
  await link.click();
  await expect(page).toHaveURL(to);
  expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
}

test("an unknown page is a translated 404 that hydrates with a clean console", async ({ page }) => {
  const problems = watchConsole(page);
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await waitHydrated(page);
  await expectHydrated(page, page.getByRole("link", { name: "Go to the home page" }), /\/login$/);
  expect(problems).toEqual([]);
});

for (const [path, title] of [["/admin/approval-rules", "Approval rules"], ["/inventory/import", "Import items"], ["/finance/trial-balance", "Trial balance"]]) {
  test(`a page one's role may not use (${path}) answers 403, says why and hydrates with a clean console`, async ({ page }) => {
    const problems = watchConsole(page);
    await login(page, "demo", "engineer");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Ravi Engineer");
    const res = await page.goto(path);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByRole("alert")).toHaveText("You do not have permission to do that.");
    await waitHydrated(page);
    await expectHydrated(page, page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Home" }), /\/$/);
    await page.waitForLoadState("networkidle");
    expect(problems).toEqual([]);
  });
}

test("the shell fits a 360 px phone without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await login(page, "demo", "executive");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Vikram Executive");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/home-360.png", fullPage: true });
});

test("keyboard users can reach the sign-in form and see where focus is", async ({ page }) => {
  await page.goto("/login");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.id ?? "");
  expect(["language", "tenant"]).toContain(focused);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  expect(outline).not.toBe("none");
});

test("an area's pages are loaded when one of them is first visited, not with the first page", async ({ page }) => {
  const problems = watchConsole(page);
  const modules: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/split_")) modules.push(path);
  });
  await login(page, "demo", "warehouse");
  await waitHydrated(page);
  // the home page is in the main bundle: no area's module yet
  expect(modules).toEqual([]);
  // visiting the stock page (client-side) fetches the inventory module and renders the page
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Inventory" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inventory");
  expect(modules.some((m) => m.includes("inventory_pages"))).toBe(true);
  // a page loaded directly has its area's module preloaded with it, and hydrates
  modules.length = 0;
  await page.goto("/inventory/uids");
  await waitHydrated(page);
  expect(modules.some((m) => m.includes("inventory_pages"))).toBe(true);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trace a UID");
  // its links navigate in the page to the area's other pages, with nothing else to fetch
  await page.getByRole("link", { name: "Receive goods" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Receive goods");
  expect(modules.filter((m) => !m.includes("inventory_pages"))).toEqual([]);
  expect(problems).toEqual([]);
});
