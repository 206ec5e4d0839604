import { expect, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";

test("a new contributor signs in, accepts the terms and sees the dashboard", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Conversational AI");
  await captureScreens(page, "landing");

  await page.goto("/signin");
  await expect(page.getByText("Development sign-in is ON")).toBeVisible();
  await captureScreens(page, "signin");

  const name = uniqueName("Ada");
  await devSignIn(page, name);
  await expect(page).toHaveURL(/\/tos/);
  await captureScreens(page, "tos");

  await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("dashboard-welcome")).toHaveText(`Welcome, ${name}!`);
  await expect(page.getByTestId("user-menu-name")).toHaveText(name);
  await captureScreens(page, "dashboard");

  // The terms are asked only once.
  await page.goto("/dashboard");
  await expect(page.getByTestId("dashboard-welcome")).toBeVisible();
});

test("signed-out visitors are sent to sign in and come back where they were going", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard/);
  const name = uniqueName("Bea");
  await page.getByLabel("User name").fill(name);
  await page.getByTestId("dev-login-submit").click();
  await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a banned user is refused and told why", async ({ page }) => {
  await devSignIn(page, uniqueName("Banned"), "general");
  await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // Dev sign-in may pick any role, including banned: the next request sees the ban.
  await page.context().clearCookies();
  await page.goto("/signin");
  await page.getByLabel("User name").fill(uniqueName("Banned"));
  await page.getByLabel("Role").selectOption("banned");
  await page.getByTestId("dev-login-submit").click();
  await expect(page.getByText(/banned or disabled/)).toBeVisible();
});
