import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";

/** Seeds a split sibling group in the server's database and runs the quality job (e2e/support/split-group.ts). */
function seedSplitGroup(): { prompt: string; text: string } {
  const output = execFileSync("npx", ["tsx", "scripts/with-db.ts", "--", "npx", "tsx", "e2e/support/split-group.ts", String(Date.now())], {
    encoding: "utf8", env: process.env, timeout: 120_000,
  });
  return JSON.parse(output.trim().split("\n").at(-1)!) as { prompt: string; text: string };
}

test("a moderator follows a low-agreement group from the quality page to its moderation queue item", async ({ page }) => {
  const group = seedSplitGroup();
  await devSignIn(page, uniqueName("Mod"), "moderator", "/admin/quality");
  await expect(page.getByTestId("quality-page")).toBeVisible();
  const row = page.getByTestId("low-agreement-groups").getByRole("row").filter({ has: page.locator(`a[href="/messages/${group.prompt}"]`) });
  await expect(row).toBeVisible();
  await captureScreens(page, "admin-quality");

  await row.getByTestId("queue-link").click();
  await expect(page).toHaveURL(/\/admin\/queue\?kind=split_reviews/);
  await expect(page.getByTestId("queue-kind")).toHaveValue("split_reviews");
  await expect(page.getByText(group.text).first()).toBeVisible();
  // The item's kind badge (the filter's option of the same name is not what we look for).
  await expect(page.getByText("Rankers split").filter({ visible: true }).first()).toBeVisible();
});

test("a moderator marks a message as a gold item on its console page", async ({ page }) => {
  const group = seedSplitGroup();
  // The console's message page reads the message with a contributor procedure, which wants the terms accepted.
  await devSignIn(page, uniqueName("Mod"), "moderator");
  await page.getByTestId("accept-tos").click();
  await page.goto(`/admin/messages/${group.prompt}`);
  await expect(page.getByTestId("gold-status")).toHaveText("This message is not a gold item.");
  await page.getByTestId("gold-spam").selectOption("0");
  await page.getByTestId("gold-quality").selectOption("0.75");
  await page.getByTestId("gold-save").click();
  await expect(page.getByTestId("gold-status")).toContainText("0 answers so far");
  await expect(page.getByTestId("gold-remove")).toBeVisible();
  await captureScreens(page, "admin-message-gold");
});
