import { expect, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";

test("a contributor renames themselves, hides from the leaderboard and deletes their account", async ({ page }) => {
  const name = uniqueName("Ola");
  await devSignIn(page, name);
  await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // Account from the user menu.
  await page.getByTestId("user-menu").click();
  await page.getByTestId("menu-account").click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("display-name-input")).toHaveValue(name);
  await expect(page.getByTestId("linked-accounts")).toContainText("Development sign-in");
  await captureScreens(page, "account");

  // Display name: an empty name is refused in place, a new one reaches the header.
  const input = page.getByTestId("display-name-input");
  await input.fill("   ");
  await expect(page.getByTestId("display-name-save")).toBeDisabled();
  const renamed = uniqueName("Ola Renamed");
  await input.fill(renamed);
  await page.getByTestId("display-name-save").click();
  await expect(page.getByTestId("display-name-saved")).toBeVisible();
  await expect(page.getByTestId("user-menu-name")).toHaveText(renamed);

  // Leaderboard visibility survives a reload.
  const toggle = page.getByTestId("leaderboard-toggle");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(toggle).toBeEnabled();
  await page.reload();
  await expect(page.getByTestId("leaderboard-toggle")).toHaveAttribute("aria-checked", "false");

  // Delete: the dialog explains the consequences and needs an explicit confirmation.
  await page.getByTestId("delete-account").click();
  const dialog = page.getByTestId("delete-account-dialog");
  await expect(dialog.getByTestId("delete-account-consequences")).toContainText("Deleted User");
  await expect(dialog.getByTestId("delete-account-consequences")).toContainText("cannot be undone");
  await expect(dialog.getByTestId("delete-account-confirm")).toBeDisabled();
  await page.evaluate(() => window.scrollTo(0, 0));
  await captureScreens(page, "account-delete");
  await dialog.getByTestId("delete-account-understood").check();
  await dialog.getByTestId("delete-account-confirm").click();

  // Signed out and home.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin/);

  // The same sign-in now starts a fresh account that has to accept the terms again.
  await devSignIn(page, name);
  await expect(page).toHaveURL(/\/tos/);
  await page.goto("/account");
  await expect(page.getByTestId("display-name-input")).toHaveValue(name);
  await expect(page.getByTestId("leaderboard-toggle")).toHaveAttribute("aria-checked", "true");
});
