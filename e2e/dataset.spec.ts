import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";

test("a moderator downloads the seeded trees in the oasst format", async ({ page }) => {
  await devSignIn(page, uniqueName("Mod"), "moderator", "/admin/dataset");
  await expect(page).toHaveURL(/\/admin\/dataset$/);
  await captureScreens(page, "admin-dataset");
  await page.getByLabel("Compress (gzip)").uncheck();
  await page.getByLabel("At most (lines)").fill("5");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("dataset-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^oasst-trees-\d{4}-\d{2}-\d{2}\.jsonl$/);
  const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
  expect(lines).toHaveLength(5);
  for (const line of lines) {
    const tree = JSON.parse(line) as { message_tree_id: string; tree_state: string; prompt: { message_id: string; replies: unknown[] } };
    expect(tree.tree_state).toBe("ready_for_export");
    expect(tree.prompt.message_id).toBe(tree.message_tree_id);
  }
});

test("contributors cannot download exports", async ({ page }) => {
  await devSignIn(page, uniqueName("Contrib"), "general", "/admin/dataset");
  // A real 403 with the styled page (src/app/forbidden.tsx).
  await expect(page.getByTestId("status-page")).toHaveAttribute("data-status", "403");
  const response = await page.request.get("/api/dataset/export");
  expect(response.status()).toBe(403);
});

test("a moderator sees the inference workers and the queue", async ({ page }) => {
  await devSignIn(page, uniqueName("Mod"), "moderator", "/admin/workers");
  await expect(page).toHaveURL(/\/admin\/workers$/);
  await expect(page.getByRole("heading", { name: "Inference workers" })).toBeVisible();
  await expect(page.getByText("Queue", { exact: true })).toBeVisible();
  await captureScreens(page, "admin-workers");
  // Moderators find both admin pages in their user menu.
  await page.getByTestId("user-menu").click();
  await page.getByTestId("menu-dataset").click();
  await expect(page).toHaveURL(/\/admin\/dataset$/);
});
