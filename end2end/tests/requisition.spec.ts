import { test, expect, type Page } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { login, watchConsole, waitHydrated } from "./helpers";

test("requisition to purchase orders: engineer, manager on a phone, accountant, procurement, procurement manager, e-mail to the supplier", async ({ browser }) => {
  const engineerCtx = await browser.newContext();
  const page = await engineerCtx.newPage();
  const problems = watchConsole(page);
  await login(page, "demo", "engineer");
  await waitHydrated(page);
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Procurement" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Purchase requisitions");
  await page.getByRole("link", { name: "New requisition" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("New requisition");

  // saving an empty line shows the same errors the server would give
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();

  const lines = [
    { d: "Servo motor 2 kW", q: "3", p: "35000" },
    { d: "Servo drive", q: "1", p: "9000.50" },
    { d: "Encoder cable 5 m", q: "4", p: "250" },
  ];
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) await page.getByRole("button", { name: "Add line" }).click();
    const row = page.getByTestId("line").nth(i);
    await row.getByLabel("Description").fill(lines[i].d);
    await row.getByLabel("Quantity").fill(lines[i].q);
    await row.getByLabel("Estimated unit price").fill(lines[i].p);
  }
  await expect(page.getByTestId("live-total")).toHaveText("$115,000.50");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("status")).toHaveText("Draft");
  await expect(page.getByTestId("total")).toHaveText("$115,000.50");
  const url = page.url();
  const number = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").match(/PR-\d{4}-\d{6}/)?.[0] ?? "";
  expect(number).not.toBe("");
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await expect(page.getByTestId("status")).toHaveText("Under review");
  await expect(page.getByTestId("timeline")).toContainText("Meera Manager");
  await expect(page.getByTestId("timeline")).toContainText("Stage 2: Accounts — Waiting");
  expect(problems).toEqual([]);

  // the manager, on a phone
  const managerCtx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await managerCtx.newPage();
  await login(phone, "demo", "manager");
  await phone.goto("/approvals");
  await expect(phone.getByTestId("inbox")).toContainText(number);
  await phone.getByTestId("inbox").getByRole("link", { name: number }).click();
  await waitHydrated(phone);
  await phone.getByRole("button", { name: "Approve" }).click();
  await expect(phone.getByTestId("timeline")).toContainText("Stage 1: Manager — Approved");
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // nor does any box inside it scroll sideways: the lines are one card per line on a phone
  expect(await sidewaysBoxes(phone)).toEqual([]);
  await expect(phone.getByTestId("lines").locator("td[data-label='Quantity']").first()).toBeVisible();

  // the accountant
  const accCtx = await browser.newContext();
  const acc = await accCtx.newPage();
  await login(acc, "demo", "accountant");
  await acc.goto(url);
  await waitHydrated(acc);
  await acc.getByRole("button", { name: "Reject" }).click();
  await expect(acc.getByRole("alert")).toContainText("Please give a reason.");
  await acc.getByRole("button", { name: "Approve" }).click();
  await expect(acc.getByTestId("status")).toHaveText("Approved");

  await page.reload();
  await expect(page.getByTestId("status")).toHaveText("Approved");
  await waitHydrated(page);
  const unreadBefore = Number((await page.getByTestId("unread-count").textContent({ timeout: 3000 }).catch(() => "0")) || "0");

  // procurement orders the approved lines from two suppliers
  const procCtx = await browser.newContext();
  const proc = await procCtx.newPage();
  const procProblems = watchConsole(proc);
  await login(proc, "demo", "procurement");
  await proc.goto("/procurement/orders/generate");
  await waitHydrated(proc);
  await expect(proc.getByRole("heading", { level: 1 })).toHaveText("Order approved lines");
  const cards = proc.getByTestId("orderable-line").filter({ hasText: number });
  await expect(cards).toHaveCount(3);
  const acme = "ACME · Acme Industrial Supply";
  const globex = "GLOBEX · Globex Bearings & Seals";
  for (const [i, supplier] of [[0, acme], [1, acme], [2, globex]] as const) {
    await cards.nth(i).getByTestId("line-supplier").selectOption({ label: supplier });
  }
  await expect(proc.getByTestId("po-preview")).toContainText("Acme Industrial Supply · 2");
  await expect(proc.getByTestId("po-preview")).toContainText("Globex Bearings & Seals · 1");
  await proc.getByTestId("po-confirm").click();
  const created = proc.getByTestId("po-created");
  await expect(created).toContainText("Acme Industrial Supply");
  await expect(created).toContainText("Globex Bearings & Seals");
  const acmeLink = created.getByRole("link", { name: /Acme/ });
  const acmeNumber = ((await acmeLink.textContent()) ?? "").match(/PO-\d{4}-\d{6}/)?.[0] ?? "";
  expect(acmeNumber).not.toBe("");
  await expect(cards).toHaveCount(0);
  expect(procProblems).toEqual([]);

  // the engineer's open page hears of it without reloading
  await expect(page.getByTestId("unread-count")).toHaveText(String(unreadBefore + 2), { timeout: 15000 });

  // the ACME order is above the 100,000 threshold: the procurement manager approves it
  await acmeLink.click();
  await expect(proc.getByTestId("po-status")).toHaveText("Pending approval");
  await expect(proc.getByTestId("po-total")).toHaveText("$119,700.53");
  const poUrl = proc.url();
  const mgrCtx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const mgr = await mgrCtx.newPage();
  await login(mgr, "demo", "procurement_mgr");
  await mgr.goto("/approvals");
  await expect(mgr.getByTestId("inbox")).toContainText(acmeNumber);
  // the inbox links each kind of document to its own page (the order's, not a requisition's)
  await expect(mgr.getByTestId("inbox").getByRole("link", { name: acmeNumber })).toHaveAttribute(
    "href",
    new URL(poUrl).pathname,
  );
  await mgr.goto(poUrl);
  await waitHydrated(mgr);
  await mgr.getByRole("button", { name: "Approve" }).click();
  await expect(mgr.getByTestId("po-status")).toHaveText("Approved");
  const mgrOverflow = await mgr.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(mgrOverflow).toBeLessThanOrEqual(0);
  expect(await sidewaysBoxes(mgr)).toEqual([]);

  // procurement sends it; the supplier receives the PDF by e-mail through the real SMTP sink
  await proc.reload();
  await waitHydrated(proc);
  await proc.getByTestId("po-send").click();
  await expect(proc.getByTestId("po-status")).toHaveText("Sent");
  await expect(proc.getByRole("status")).toContainText("Sent to the supplier by e-mail.");
  // printing is an event listener, not an inline handler (which the page's CSP refuses)
  await proc.getByRole("button", { name: "Print" }).click();
  await proc.waitForTimeout(300);
  expect(procProblems).toEqual([]);
  const mailDir = process.env.MAIL_DIR ?? "";
  expect(mailDir, "scripts/test starts the SMTP sink and sets MAIL_DIR").not.toBe("");
  {
    await expect.poll(() => {
      try {
        return readdirSync(mailDir).map((f) => readFileSync(join(mailDir, f), "utf8"))
          .some((m) => m.includes("X-Sink-To: orders@acme.example.com") && m.includes(`${acmeNumber}.pdf`) && m.includes("application/pdf"));
      } catch {
        return false;
      }
    }, { timeout: 20000 }).toBe(true);
  }
  await engineerCtx.close();
  await managerCtx.close();
  await accCtx.close();
  await procCtx.close();
  await mgrCtx.close();
});

test("every procurement page loads and hydrates without console errors, in Arabic too", async ({ page, context }) => {
  const problems = watchConsole(page);
  await login(page, "demo", "procurement_mgr");
  for (const path of ["/procurement/requisitions", "/procurement/requisitions/new", "/approvals", "/account/tokens", "/procurement/orders"]) {
    await page.goto(path);
    await waitHydrated(page);
  }
  await context.addCookies([{ name: "i18n_pref_locale", value: "ar", url: test.info().project.use.baseURL! }]);
  await page.goto("/procurement/requisitions?mine=on");
  await waitHydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Purchase requisitions");
  expect(problems).toEqual([]);
});

test("a second browser sees the approval notification appear without reloading", async ({ browser }) => {
  const managerCtx = await browser.newContext();
  const manager = await managerCtx.newPage();
  await login(manager, "demo", "manager");
  await waitHydrated(manager);
  const before = Number((await manager.getByTestId("unread-count").textContent({ timeout: 3000 }).catch(() => "0")) || "0");

  const engineerCtx = await browser.newContext();
  const engineer = await engineerCtx.newPage();
  await login(engineer, "demo", "engineer");
  const res = await engineer.request.post("/api/v1/requisitions", {
    headers: { origin: test.info().project.use.baseURL! },
    data: { purpose: "daily_operations", lines: [{ description: "Safety gloves", quantity: "10", unit: "pairs", estimated_unit_price: "4.00" }] },
  });
  expect(res.status()).toBe(201);
  const id = (await res.json()).data.id;
  const submitted = await engineer.request.post(`/api/v1/requisitions/${id}/submit`, { headers: { origin: test.info().project.use.baseURL! } });
  expect(submitted.status()).toBe(200);

  // no reload on the manager's page: the count arrives over server-sent events
  await expect(manager.getByTestId("unread-count")).toHaveText(String(before + 1), { timeout: 15000 });
  await manager.getByRole("link", { name: /Notifications/ }).click();
  await expect(manager.getByTestId("notifications")).toContainText("is waiting for your approval");
  await managerCtx.close();
  await engineerCtx.close();
});

/** The boxes of the page's main content that scroll sideways (wider content than the box). */
async function sidewaysBoxes(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("main *")]
      .filter((e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  );
}
