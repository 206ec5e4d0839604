import { expect, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";

test("an admin builds a dataset release and downloads its manifest and card", async ({ page }) => {
  await devSignIn(page, uniqueName("Admin"), "admin", "/admin/dataset");
  await expect(page.getByTestId("releases")).toBeVisible();
  const name = `e2e-${Date.now()}`;
  await page.getByLabel("Release name").fill(name);
  await page.getByTestId("release-build").click();
  await expect(page.getByText(`Release ${name} is ready.`)).toBeVisible({ timeout: 90_000 });
  const entry = page.getByTestId("releases-list").getByRole("listitem").filter({ hasText: name });
  await expect(entry).toBeVisible();
  await captureScreens(page, "admin-dataset-releases");

  const manifest = await page.request.get(`/admin/dataset/releases/${name}/manifest.json`);
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { name: string; counts: { trees: number }; files: { path: string; sha256: string }[] };
  expect(body.name).toBe(name);
  expect(body.files.map((file) => file.path)).toContain("messages.parquet");
  const card = await page.request.get(`/admin/dataset/releases/${name}/README.md`);
  expect(await card.text()).toMatch(/^---\nlicense: apache-2.0|^---\npretty_name:/);

  // The same name again is refused with a message, not an error page.
  await page.getByLabel("Release name").fill(name);
  await page.getByTestId("release-build").click();
  await expect(page.getByTestId("release-form").getByRole("alert")).toContainText("already exists");
});

test("moderators see no release button and cannot download releases", async ({ page }) => {
  await devSignIn(page, uniqueName("Mod"), "moderator", "/admin/dataset");
  await expect(page.getByTestId("dataset-form")).toBeVisible();
  await expect(page.getByTestId("releases")).toHaveCount(0);
  expect((await page.request.get("/admin/dataset/releases/any/manifest.json")).status()).toBe(403);
});
