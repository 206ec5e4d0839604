import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

const SCREENSHOT_DIR = path.join("e2e", "artifacts", "screenshots");

const VIEWPORTS = {
  phone: { width: 375, height: 812 },
  desktop: { width: 1280, height: 800 },
} as const;

/** Saves the current page in light and dark, on a phone and a desktop, as run artifacts (never committed). */
export async function captureScreens(page: Page, name: string) {
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
