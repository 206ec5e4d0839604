import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

const SCREENSHOT_DIR = path.join("e2e", "artifacts", "screenshots");

const VIEWPORTS = {
  phone: { width: 375, height: 812 },
  desktop: { width: 1280, height: 800 },
} as const;

/**
 * People look at these shots, tests don't: in CI (CI=true), where nobody does, they are skipped unless
 * E2E_SCREENSHOTS=1, which saves about two minutes of a CI run (four full-page shots per call, 34 calls). Pages whose
 * controls a test uses right after loading disable them until hydration (`useHydrated`), so a test never depends on
 * the pause a screenshot happened to give.
 */
const SCREENSHOTS_WANTED = !process.env.CI || process.env.E2E_SCREENSHOTS === "1";

/** Saves the current page in light and dark, on a phone and a desktop, as run artifacts (never committed). */
export async function captureScreens(page: Page, name: string) {
  if (!SCREENSHOTS_WANTED) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [device, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${device}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (original) await page.setViewportSize(original);
}
