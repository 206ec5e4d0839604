import { expect, type Page } from "@playwright/test";

/** Opens a task page and waits until a task (or the empty state) is shown. */
export async function openTask(page: Page, type: string) {
  await page.goto(`/tasks/${type}`);
  await expect(page.getByTestId("task").or(page.getByTestId("no-tasks"))).toBeVisible();
}

/** Write → Review → Submit on a create task. */
export async function writeAndSubmit(page: Page, text: string) {
  await page.getByTestId("reply-input").fill(text);
  await page.getByTestId("review").click();
  await expect(page.getByTestId("reply-preview")).toContainText(text.slice(0, 20));
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("task-thanks")).toBeVisible();
}

/** Answers "not spam" on a label task and submits. */
export async function labelNotSpamAndSubmit(page: Page) {
  await page.getByTestId("label-spam-no").check({ force: true });
  await page.getByTestId("review").click();
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("task-thanks")).toBeVisible();
}

/** Signs in a fresh dev user and accepts the terms. */
export async function signInContributor(page: Page, name: string, devSignIn: (page: Page, name: string) => Promise<void>) {
  await devSignIn(page, name);
  await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/**
 * Opens a task of `type` about the conversation containing `text`, skipping tasks about other conversations (other
 * specs share the database and may leave open work behind, and the demo seed leaves plenty).
 */
export async function openTaskAbout(page: Page, type: string, text: string) {
  // Each skip takes a conversation out of this user's draw, so the loop ends; the demo campaign's open work
  // (src/server/db/seed/demo-campaign.ts) puts a dozen conversations of each kind ahead of the spec's own.
  for (let attempt = 0; attempt < 40; attempt++) {
    await openTask(page, type);
    await expect(page.getByTestId("task")).toBeVisible();
    if ((await page.getByTestId("conversation").innerText()).includes(text)) return;
    await page.getByTestId("skip").click();
    await page.getByTestId("skip-confirm").click();
    await expect(page.getByTestId("task").or(page.getByTestId("no-tasks"))).toBeVisible();
  }
  throw new Error(`no ${type} task about "${text}"`);
}
