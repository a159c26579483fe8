import { expect, Page } from "@playwright/test";

export const PASSWORD = "Millwright-demo-1";

export async function login(page: Page, tenant: string, username: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/company code|कंपनी कोड|কোম্পানি কোড|సంస్థ కోడ్|رمز الشركة/i).fill(tenant);
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(password);
  await page.locator("form[action='/auth/login'] button[type=submit]").click();
}

/** Collects console errors and hydration warnings of a page. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    const text = msg.text();
    // the browser reports a page's own 403 or 404 status as a console error: that answer is the
    // server's intent (the page then renders and hydrates), not a fault of the page
    const own = msg.location().url === page.url() && /^Failed to load resource: the server responded with a status of 40[34]/.test(text);
    if (own) return;
    // where it happened too (a page's address), so that a rare failure names its page
    if (msg.type() === "error" || /hydrat/i.test(text)) problems.push(`${msg.type()}: ${text} (at ${msg.location().url || page.url()})`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

export async function waitHydrated(page: Page) {
  // the wasm bundle has loaded and run once the language select reacts; wait for the network to settle
  await page.waitForLoadState("networkidle");
  await expect(page.locator("html")).toHaveAttribute("lang", /.+/);
}

/** A JSON call of the REST API from inside the page (its session cookie and Origin). */
export async function api(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(p as string, { method: m as string, headers: { "content-type": "application/json" }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    [method, path, body] as const,
  );
}
