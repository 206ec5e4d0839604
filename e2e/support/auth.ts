import { expect, type Page } from "@playwright/test";

export type DevRole = "general" | "moderator" | "admin";

/** Signs in with the development sign-in form and returns once the browser has left the sign-in page. */
export async function devSignIn(page: Page, name: string, role: DevRole = "general", callbackPath = "/dashboard") {
  // Wait for hydration: typing into the server-rendered form before React attaches can be lost.
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`, { waitUntil: "networkidle" });
  await expect(page.getByTestId("dev-login-submit")).toBeEnabled();
  await page.getByLabel("User name").fill(name);
  await expect(page.getByLabel("User name")).toHaveValue(name);
  await page.getByLabel("Role").selectOption(role);
  await page.getByTestId("dev-login-submit").click();
  await expect(page).not.toHaveURL(/\/signin/);
}

export function uniqueName(prefix: string) {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}
