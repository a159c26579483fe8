import { test, expect, type Page, type Browser } from "@playwright/test";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { api, waitHydrated, watchConsole } from "./helpers";

// The words the pages show, read from the translations themselves: the test checks that the page
// is in Bengali without copying the Bengali here.
const bn = JSON.parse(readFileSync(join(__dirname, "..", "..", "locales", "bn.json"), "utf8"));
const ar = JSON.parse(readFileSync(join(__dirname, "..", "..", "locales", "ar.json"), "utf8"));

/** RFC 6238: the 6-digit code of a base32 secret at `at` (SHA-1, 30-second steps). */
function totp(secret: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const o = mac[mac.length - 1] & 0xf;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

/** The newest message the SMTP sink received for `to`, decoded enough to read its links. */
async function mailTo(to: string): Promise<string> {
  const dir = process.env.MAIL_DIR ?? "";
  expect(dir, "scripts/test starts the SMTP sink and sets MAIL_DIR").not.toBe("");
  let found = "";
  await expect
    .poll(
      () => {
        const all = readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), "utf8"));
        found = all.filter((m) => m.startsWith(`X-Sink-To: ${to}`)).pop() ?? "";
        return found !== "";
      },
      { timeout: 30_000, message: `an e-mail to ${to}` },
    )
    .toBe(true);
  // a text body in base64 (as non-ASCII text is sent) or quoted-printable, decoded
  const at = found.search(/\r?\n\r?\n/);
  const head = found.slice(0, at);
  const body = found.slice(at).trim();
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s/g, ""), "base64").toString("utf8");
  return body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "no sideways scrolling").toBeLessThanOrEqual(0);
}

async function phone(browser: Browser, locale: string) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await ctx.addCookies([{ name: "i18n_pref_locale", value: locale, url: process.env.BASE_URL ?? "http://127.0.0.1:3000" }]);
  return ctx;
}

test("a company signs up on a phone in Bengali, walks the wizard, invites a colleague who enrols in TOTP and raises a requisition the administrator approves; the administrator cannot remove their own right", async ({ browser }) => {
  test.setTimeout(240_000);
  const slug = `ghosh-${Date.now().toString(36)}`;
  const adminEmail = `anita@${slug}.example.in`;
  const colleagueEmail = `bikash@${slug}.example.in`;

  // sign-up on a 360 px phone, in Bengali
  const adminCtx = await phone(browser, "bn");
  const admin = await adminCtx.newPage();
  const problems = watchConsole(admin);
  await admin.goto("/signup");
  await waitHydrated(admin);
  await expect(admin.locator("html")).toHaveAttribute("lang", "bn");
  await noSidewaysScroll(admin);
  await admin.locator("input[name=company_name]").fill("ঘোষ ইঞ্জিনিয়ারিং ওয়ার্কস");
  await admin.locator("input[name=slug]").fill(slug);
  await admin.locator("select[name=currency]").selectOption("INR");
  await admin.locator("select[name=time_zone]").selectOption("Asia/Kolkata");
  await admin.locator("select[name=default_language]").selectOption("bn");
  await admin.locator("input[name=username]").fill("anita");
  await admin.locator("input[name=display_name]").fill("অনিতা ঘোষ");
  await admin.locator("input[name=email]").fill(adminEmail);
  await admin.locator("input[name=password]").fill("a-long-enough-secret-1");
  await admin.locator("main form button[type=submit]").click();

  // the wizard, each step saved on its own
  await admin.waitForURL(/\/setup/);
  await waitHydrated(admin);
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(bn.setup.title);
  await expect(admin.getByTestId("verify-banner")).toBeVisible();
  await admin.locator("#legal_name").fill("Ghosh Engineering Works Pvt Ltd");
  await admin.locator("#address").fill("12 GT Road, Howrah 711101");
  await expect(admin.locator("#fy")).toHaveValue("4"); // April, for INR
  await admin.getByRole("button", { name: bn.setup.save_next }).click();
  await expect(admin.locator("#step-title")).toHaveText(bn.setup.s_plants);
  await noSidewaysScroll(admin);
  const plantName = admin.locator("input[id^='pname-']").first();
  await plantName.fill("হাওড়া কারখানা");
  await admin.locator("input[id^='state-']").first().fill("19");
  await plantName.locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(admin.locator("#step-title")).toHaveText(bn.setup.s_departments);
  for (const next of [bn.setup.s_cost_centres, bn.setup.s_language, bn.setup.s_prefixes]) {
    await admin.getByRole("button", { name: bn.setup.skip }).click();
    await expect(admin.locator("#step-title")).toHaveText(next);
  }
  await noSidewaysScroll(admin);
  await admin.getByRole("button", { name: bn.setup.finish }).click();
  await expect(admin).not.toHaveURL(/\/setup/);
  await expect(admin.getByTestId("setup-banner")).toHaveCount(0);
  await admin.reload();
  await expect(admin.getByTestId("setup-banner")).toHaveCount(0);

  // the tenant requires two-factor sign-in of engineers
  await admin.goto("/admin/settings");
  await waitHydrated(admin);
  await admin.locator("#totp-Engineer").check();
  await admin.locator("#totp-Engineer").locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(admin.getByTestId("settings-saved")).toHaveText(bn.setup.saved);

  // the administrator invites a colleague, with themselves as the manager
  await admin.goto("/admin/users/new");
  await waitHydrated(admin);
  await admin.locator("#username").fill("bikash");
  await admin.locator("#display_name").fill("বিকাশ দাস");
  await admin.locator("#email").fill(colleagueEmail);
  await admin.locator("#manager").selectOption({ label: "অনিতা ঘোষ (anita)" });
  await admin.getByRole("checkbox", { name: bn.roles.Engineer }).check();
  await admin.getByRole("button", { name: bn.users.save }).click();
  // saved: the new colleague's own page
  await admin.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
  await expect(admin.locator("#username")).toHaveValue("bikash");
  await noSidewaysScroll(admin);

  // the invitation arrives at the SMTP sink; its link chooses a password
  const invitation = await mailTo(colleagueEmail);
  const link = invitation.match(/https?:\/\/\S+\/password-reset\?token=[A-Za-z0-9_-]+/)?.[0] ?? "";
  expect(link, invitation).not.toBe("");
  const colleagueCtx = await phone(browser, "bn");
  const colleague = await colleagueCtx.newPage();
  const colleagueProblems = watchConsole(colleague);
  await colleague.goto(new URL(link).pathname + new URL(link).search);
  await waitHydrated(colleague);
  await expect(colleague.getByTestId("reset-username")).toHaveText("bikash");
  await colleague.locator("#new_password").fill("bikash-chooses-this-1");
  await colleague.locator("#confirm_password").fill("bikash-chooses-this-1");
  await colleague.locator("#confirm_password").locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await colleague.waitForURL(/\/login/);

  // signing in, the colleague is sent to enrolment first: the code is computed from the secret shown
  await colleague.locator("#tenant").fill(slug);
  await colleague.locator("#username").fill("bikash");
  await colleague.locator("#password").fill("bikash-chooses-this-1");
  await colleague.locator("form[action='/auth/login'] button[type=submit]").click();
  await colleague.waitForURL(/\/account\/two-factor/);
  await waitHydrated(colleague);
  await colleague.getByRole("button", { name: bn.totp.start }).click();
  await expect(colleague.getByTestId("totp-qr").locator("svg")).toBeVisible();
  const secret = ((await colleague.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret.length).toBeGreaterThanOrEqual(16);
  await colleague.locator("#totp-code").fill(totp(secret));
  await colleague.getByRole("button", { name: bn.totp.enable }).click();
  await expect(colleague.getByTestId("recovery-codes")).toBeVisible();
  await noSidewaysScroll(colleague);

  // the first requisition
  await colleague.goto("/procurement/requisitions/new");
  await waitHydrated(colleague);
  const line = colleague.getByTestId("line").first();
  await line.getByLabel(bn.req.description).fill("বেয়ারিং 6205");
  await line.getByLabel(bn.req.quantity).fill("4");
  await line.getByLabel(bn.req.price).fill("250");
  await colleague.getByRole("button", { name: bn.req.save }).click();
  await expect(colleague.getByTestId("status")).toHaveText(bn.req.s_draft);
  const number = ((await colleague.getByRole("heading", { level: 1 }).textContent()) ?? "").match(/PR-\d{4}-\d{6}/)?.[0] ?? "";
  expect(number).not.toBe("");
  await colleague.getByRole("button", { name: bn.req.submit }).click();
  await expect(colleague.getByTestId("status")).toHaveText(bn.req.s_under_review);
  await expect(colleague.getByTestId("timeline")).toContainText("অনিতা ঘোষ");

  // the administrator, their manager, approves it from the inbox
  await admin.goto("/approvals");
  await waitHydrated(admin);
  await admin.getByTestId("inbox").getByRole("link", { name: number }).click();
  await waitHydrated(admin);
  await admin.getByRole("button", { name: bn.req.approve }).click();
  await expect(admin.getByTestId("status")).toHaveText(bn.req.s_approved);

  // … and cannot take away their own administration: the page says why
  await admin.goto("/admin/users");
  await waitHydrated(admin);
  await admin.getByRole("link", { name: "অনিতা ঘোষ" }).click();
  await waitHydrated(admin);
  await admin.getByRole("checkbox", { name: bn.roles.Admin }).uncheck();
  await admin.getByRole("button", { name: bn.users.save }).click();
  await expect(admin.getByRole("alert").first()).toBeVisible();
  await expect(admin.locator("body")).toContainText(bn.users.refused_last_admin);
  await admin.reload();
  await waitHydrated(admin);
  await expect(admin.getByRole("checkbox", { name: bn.roles.Admin })).toBeChecked();

  // no console error on any page either of them saw, but the refusal's own 422 answer
  expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  expect(colleagueProblems.filter((p) => !/status of 422/.test(p))).toEqual([]);
});

test("every administration and master-data page loads and hydrates on a 360 px phone without a console error, in Arabic", async ({ browser }) => {
  const ctx = await phone(browser, "ar");
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await page.goto("/login");
  await page.locator("#tenant").fill("demo");
  await page.locator("#username").fill("admin");
  await page.locator("#password").fill("Millwright-demo-1");
  await page.locator("form[action='/auth/login'] button[type=submit]").click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  // the administrator's own language wins over the browser's: Arabic for this walk, English after
  expect((await api(page, "PUT", "/api/v1/auth/me/language", { language: "ar" })).status).toBe(200);
  for (const path of [
    "/inventory/items/new",
    "/inventory/categories",
    "/inventory/locations",
    "/inventory/units",
    "/admin/settings",
    "/admin/users",
    "/admin/users/new",
    "/admin/roles",
    "/admin/audit",
    "/account/two-factor",
    "/account/sessions",
  ]) {
    await page.goto(path);
    await waitHydrated(page);
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await noSidewaysScroll(page);
    expect(problems, path).toEqual([]);
  }
  expect((await api(page, "PUT", "/api/v1/auth/me/language", { language: "en" })).status).toBe(200);
});

test("the accountant's ledger pages load and hydrate on a 360 px phone in Arabic, and a manual entry balances before it posts", async ({ browser }) => {
  const ctx = await phone(browser, "ar");
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await page.goto("/login");
  await page.locator("#tenant").fill("demo");
  await page.locator("#username").fill("accountant");
  await page.locator("#password").fill("Millwright-demo-1");
  await page.locator("form[action='/auth/login'] button[type=submit]").click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  expect((await api(page, "PUT", "/api/v1/auth/me/language", { language: "ar" })).status).toBe(200);
  for (const path of ["/finance", "/finance/accounts", "/finance/journal", "/finance/periods", "/finance/trial-balance"]) {
    await page.goto(path);
    await waitHydrated(page);
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await noSidewaysScroll(page);
    // on a phone the layout viewport widens to the widest content, so compare with the phone too
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    expect(problems, path).toEqual([]);
  }
  // an account of the trial balance leads to its entries without a reload
  await page.locator("[data-testid=trial-balance] tbody a").first().click();
  await page.waitForURL(/\/finance\/journal\?account_id=/);
  await expect(page.locator("[data-testid=entry]").first()).toBeVisible();
  // a manual entry: the difference shows until debits equal credits
  const chart = (await api(page, "GET", "/api/v1/accounts")).json.data.accounts as { id: string; code: string }[];
  const id = (code: string) => chart.find((a) => a.code === code)!.id;
  await page.goto("/finance/journal");
  await waitHydrated(page);
  await page.locator("[data-testid=new-entry]").click();
  const form = page.locator("[data-testid=entry-form]");
  await form.locator("#je-narration").fill("Capital introduced");
  const lines = form.locator("[data-testid=entry-line]");
  await lines.nth(0).locator("select").selectOption(id("1120"));
  await lines.nth(0).locator("input").nth(0).fill("75");
  await lines.nth(1).locator("select").selectOption(id("3100"));
  await lines.nth(1).locator("input").nth(1).fill("70");
  await expect(form.locator("[data-testid=entry-totals] .bg-red-100")).toContainText("5.00");
  await lines.nth(1).locator("input").nth(1).fill("75");
  await expect(form.locator("[data-testid=entry-totals] .bg-red-100")).toHaveCount(0);
  await form.locator("button[type=submit]").click();
  await expect(page.locator("p[role=status]").filter({ hasText: /JE/ })).toBeVisible();
  await noSidewaysScroll(page);
  // reversed once: the entry is marked and offers no second reversal
  const entry = page.locator("[data-testid=entry]").filter({ hasText: "Capital introduced" }).first();
  await entry.locator("[data-testid=reverse]").click();
  await entry.locator("input").nth(1).fill("Entered twice");
  await entry.locator("button[type=submit]").click();
  await expect(entry).toContainText(ar.fin.reversed);
  await expect(entry.locator("[data-testid=reverse]")).toHaveCount(0);
  // an account made in the form: the service's field error shows under its field first
  await page.goto("/finance/accounts");
  await waitHydrated(page);
  await page.locator("[data-testid=add-account]").click();
  const accountForm = page.locator("[data-testid=account-form]");
  await accountForm.locator("#acc-name").fill("Petty cash");
  await accountForm.locator("button[type=submit]").click();
  await expect(accountForm.locator("#code-error")).toBeVisible();
  const code = `11${Date.now() % 100000}`;
  await accountForm.locator("#acc-code").fill(code);
  await accountForm.locator("#acc-parent").selectOption(id("1100"));
  await accountForm.locator("button[type=submit]").click();
  await expect(accountForm).toHaveCount(0);
  await expect(page.locator("[data-testid=chart]")).toContainText(code);
  await noSidewaysScroll(page);
  // January closed and reopened with the buttons
  await page.goto("/finance/periods");
  await waitHydrated(page);
  const january = page.locator("[data-testid=period]").first();
  await january.getByRole("button", { name: ar.fin.close }).click();
  await expect(january).toContainText(ar.fin.closed);
  await january.getByRole("button", { name: ar.fin.reopen }).click();
  await expect(january).toContainText(ar.fin.open);
  // the browser reports the refused save (422) it was meant to get; nothing else
  expect(problems.filter((p) => !/status of 422 .*save_account/.test(p))).toEqual([]);
  expect((await api(page, "PUT", "/api/v1/auth/me/language", { language: "en" })).status).toBe(200);
});
