import { test, expect } from "@playwright/test";
import { api, login, watchConsole, waitHydrated } from "./helpers";

test("procurement keeps suppliers: the form checks like the server, the list finds the new one", async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, "demo", "procurement");
  await waitHydrated(page);
  await page.goto("/procurement/suppliers");
  await waitHydrated(page);
  await page.getByRole("link", { name: "New supplier" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New supplier");
  await waitHydrated(page);
  await page.getByLabel("Code", { exact: true }).fill("pune fasteners");
  await page.getByLabel("E-mail", { exact: true }).fill("not-an-address");
  await page.locator("main button[type=submit]").click();
  await expect(page.locator("#name-error")).toHaveText("This field is required.");
  await expect(page.locator("#email-error")).toBeVisible();
  await page.getByLabel("Code", { exact: true }).fill("PUNE-FAST");
  await page.getByLabel("Name", { exact: true }).fill("Pune Fasteners Pvt Ltd");
  await page.getByLabel("E-mail", { exact: true }).fill("sales@punefast.example.in");
  await page.getByLabel("Payment terms (days)").fill("45");
  await page.getByLabel("Language of orders and e-mails").selectOption("hi");
  await page.locator("main button[type=submit]").click();
  await expect(page).toHaveURL(/\/procurement\/suppliers\?saved=1/);
  const saved = await api(page, "GET", "/api/v1/suppliers?q=PUNE-FAST");
  expect(saved.json.data.suppliers[0].language).toBe("hi");
  await page.getByLabel("Code or name").fill("pune");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("suppliers")).toContainText("PUNE-FAST — Pune Fasteners Pvt Ltd");
  await expect(page.getByTestId("suppliers")).toContainText("45 days' terms");
  await expect(page.getByTestId("suppliers")).not.toContainText("ACME");
  expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
});

test("an engineer attaches a quotation on a phone; an executable renamed .pdf is refused", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await login(page, "demo", "engineer");
  await waitHydrated(page);
  const id = await page.evaluate(async () => {
    const r = await fetch("/api/v1/requisitions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ purpose: "daily_operations", lines: [{ description: "Hydraulic hose", quantity: "4", unit: "m", estimated_unit_price: "12.50" }] }),
    });
    return (await r.json()).data.id as string;
  });
  await page.goto(`/procurement/requisitions/${id}`);
  await waitHydrated(page);
  await page.getByLabel("Attach a file").setInputFiles({ name: "quotation.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("File attached.")).toBeVisible();
  await expect(page.getByTestId("attachments")).toContainText("quotation.pdf");
  await page.getByLabel("Attach a file").setInputFiles({ name: "invoice.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ\x90\x00\x03") });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("alert")).toContainText("This file type is not allowed");
  await expect(page.getByTestId("attachments").locator("li")).toHaveCount(1);
  // the link downloads the same bytes
  const href = await page.getByRole("link", { name: "quotation.pdf" }).getAttribute("href");
  const body = await page.evaluate(async (u) => (await fetch(u!)).text(), href);
  expect(body).toContain("%PDF-1.4");
  expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
});

test("a manager hands approvals to a colleague, in Arabic on a phone", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await login(page, "demo", "manager");
  await waitHydrated(page);
  await page.evaluate(() => fetch("/api/v1/auth/me/language", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: "ar" }) }));
  await page.goto("/approvals/delegations");
  await waitHydrated(page);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("التفويضات");
  // nothing chosen: translated field errors
  await page.getByRole("button", { name: "تفويض" }).click();
  await expect(page.locator("#to_user_id-error")).toBeVisible();
  const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
  await page.locator("#d-to").selectOption({ label: "Priya Procurement Manager" });
  await page.locator("#d-from").fill(today);
  await page.locator("#d-until").fill(today);
  await page.getByRole("button", { name: "تفويض" }).click();
  await expect(page.getByText("تم حفظ التفويض.")).toBeVisible();
  await expect(page.getByTestId("delegations").locator("li")).toHaveCount(1);
  await page.getByRole("button", { name: "إلغاء" }).click();
  await expect(page.getByTestId("delegations").locator("li")).toHaveCount(0);
  expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
  // later journeys expect the manager in English
  await page.evaluate(() => fetch("/api/v1/auth/me/language", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: "en" }) }));
});
