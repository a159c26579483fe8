import { test, expect } from "@playwright/test";
import { PASSWORD } from "./helpers";

test.use({ javaScriptEnabled: false });

test("the login page works with JavaScript off", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Company code").fill("demo");
  await page.getByLabel("User name").fill("accountant");
  await page.getByLabel("Password").fill("wrong password here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("wrong");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hello, Anita Accountant");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});
