import { test, expect, chromium } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromiumArgs } from "../playwright.config";

test("the manifest and service worker are served and Chromium reports the app installable", async () => {
  const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3000";
  // installability is not reported in incognito contexts, so use a fresh persistent profile
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-pwa-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: "/usr/bin/chromium",
    args: chromiumArgs,
    headless: true,
  });
  try {
    const page = await context.newPage();
    const manifest = await (await page.request.get(`${baseURL}/manifest.webmanifest`)).json();
    expect(manifest.display).toBe("standalone");
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    expect(manifest.icons.some((i: { purpose: string }) => i.purpose === "maskable")).toBe(true);

    await page.goto(`${baseURL}/login`);
    await expect(page.locator("link[rel=manifest]")).toHaveAttribute("href", "/manifest.webmanifest");
    const registered = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.active?.scriptURL ?? "";
    });
    expect(registered).toContain("/sw.js");
    // the shell is cached, so a navigation while offline shows the offline page
    await page.waitForFunction(async () => (await caches.keys()).length > 0);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);

    await context.setOffline(true);
    await page.goto(`${baseURL}/login`).catch(() => undefined);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are offline");
    await context.setOffline(false);
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
