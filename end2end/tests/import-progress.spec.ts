import { test, expect } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { login, watchConsole, waitHydrated } from "./helpers";

// The job page of an import that is still running is rendered on the server mid-run (a reload, a
// shared link) and must hydrate and then follow the job by itself: it once failed hydration there.
// In the second demo company (Hindi, Indian digit grouping), so that its 100,000 items stay out of
// the searches of the other journeys.
test("a large import's page shows its progress while it runs, survives reloads and follows it to the end", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const tag = `BIG${Date.now().toString(36).toUpperCase()}`;
  const rows = ["sku,unit,name_en,name_hi,category,reorder_level"];
  for (let i = 1; i <= 100_000; i++) rows.push(`${tag}-${i},pcs,Ball bearing 62${i % 10}${i % 7},बॉल बेयरिंग ${i % 97},BRG,${i % 30}`);
  const file = testInfo.outputPath("big.csv");
  writeFileSync(file, rows.join("\n") + "\n");

  await login(page, "saif", "warehouse");
  await waitHydrated(page);
  await page.goto("/inventory/import");
  await waitHydrated(page);
  await page.locator("#csv").setInputFiles(file);
  await page.getByTestId("import-form").locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/inventory\/import\/[0-9a-f-]{36}$/);
  const job = page.getByTestId("import-job");
  await expect(job).toHaveAttribute("data-status", /queued|running/);
  await expect(page.locator("progress")).toHaveAttribute("max", /\d+/);

  // rendered afresh twice while it runs
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await waitHydrated(page);
    await expect(job).toHaveAttribute("data-status", /queued|running|succeeded/);
  }
  // then, without reloading, the page follows the job to its end
  // the count in the user's language and the company's grouping (lakh)
  await expect(page.getByTestId("import-done")).toContainText("1,00,000 वस्तुएँ", { timeout: 150_000 });
  await expect(job).toHaveAttribute("data-status", "succeeded");
  expect(problems).toEqual([]);
});
