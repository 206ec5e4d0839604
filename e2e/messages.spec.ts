import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { devSignIn, type DevRole, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";
import { openTask, writeAndSubmit } from "./support/tasks";

async function signIn(page: Page, name: string, role: DevRole = "general") {
  await devSignIn(page, name, role);
  await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** The message the page is about (highlighted in its tree). */
const highlighted = (page: Page) => page.locator('[data-testid="message-entry"][data-highlighted]');

/** Full-page screenshots from the top, so the sticky header and fixed dialogs sit where a reader expects them. */
async function capture(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await captureScreens(page, name);
}

async function openMenu(entry: Locator) {
  await entry.getByTestId("message-menu").click();
  await expect(entry.page().getByTestId("message-menu-content")).toBeVisible();
}

async function newContext(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

test("a contributor browses messages, reacts, reports, labels and edits their own prompt", async ({ page }) => {
  await signIn(page, uniqueName("Mia"));

  // A prompt of their own to edit later.
  await openTask(page, "initial_prompt");
  const prompt = `How do I keep basil alive on a windowsill? ${Date.now()}`;
  await writeAndSubmit(page, prompt);

  // Messages from the header; recent messages in English, ten per page.
  await page.getByTestId("nav-messages").click();
  await expect(page).toHaveURL(/\/messages$/);
  const recent = page.getByTestId("messages-recent").getByTestId("message-entry");
  await expect(recent).toHaveCount(10);
  await captureScreens(page, "messages");
  await page.getByTestId("load-more").click();
  await expect(recent).toHaveCount(20);

  // Open a demo message (not theirs) on its own page: the whole tree with the message highlighted.
  const other = recent.nth(4);
  const otherId = await other.getAttribute("data-message-id");
  await other.getByTestId("message-link").click();
  await expect(page).toHaveURL(new RegExp(`/messages/${otherId}$`));
  await expect(page.getByTestId("message-tree")).toBeVisible();
  const entry = highlighted(page);
  await expect(entry).toHaveAttribute("data-message-id", otherId!);
  await expect(page.getByTestId("tree-state")).toHaveText("Ready for export");
  // Vote counts stay hidden until the contributor has voted.
  await expect(entry.getByTestId("count-up")).toHaveCount(0);
  await capture(page, "message-tree");

  // 👍 from the "…" menu.
  await openMenu(entry);
  await page.getByTestId("menu-upvote").click();
  await expect(entry.getByTestId("count-up")).toHaveAttribute("aria-pressed", "true");
  const ups = Number(await entry.getByTestId("count-up").textContent());
  expect(ups).toBeGreaterThanOrEqual(1);
  // 👎 replaces the 👍 and the other way round (the counters toggle too).
  await entry.getByTestId("count-down").click();
  await expect(entry.getByTestId("count-down")).toHaveAttribute("aria-pressed", "true");
  await expect(entry.getByTestId("count-up")).toHaveText(String(ups - 1));
  await entry.getByTestId("count-up").click();
  await expect(entry.getByTestId("count-up")).toHaveText(String(ups));
  await expect(entry.getByTestId("count-down")).toHaveAttribute("aria-pressed", "false");
  // The buttons show the vote at once and stay disabled until it is saved: reloading before that would cancel it.
  await expect(entry.getByTestId("count-up")).toBeEnabled();
  await page.reload();
  await expect(highlighted(page).getByTestId("count-up")).toHaveAttribute("aria-pressed", "true");

  // Report with a label and a reason.
  await openMenu(highlighted(page));
  await page.getByTestId("menu-report").click();
  const report = page.getByTestId("report-dialog");
  await expect(report.getByTestId("label-inputs")).toBeVisible();
  await expect(report.getByTestId("report-submit")).toBeDisabled();
  await report.getByTestId("label-spam-yes").check({ force: true });
  await report.getByTestId("report-reason").fill("This reads like an advertisement.");
  await capture(page, "message-report");
  await report.getByTestId("report-submit").click();
  await expect(report).toBeHidden();
  await expect(highlighted(page).getByTestId("message-notice")).toContainText("report was sent");

  // Free labels.
  await openMenu(highlighted(page));
  await page.getByTestId("menu-label").click();
  const label = page.getByTestId("label-dialog");
  await label.getByTestId("label-quality-4").check({ force: true });
  await label.getByTestId("label-submit").click();
  await expect(label).toBeHidden();
  await expect(highlighted(page).getByTestId("message-notice")).toContainText("Labels saved");

  // Their own prompt under "My messages": marked as theirs, with counts and no votes of their own.
  await page.goto("/messages");
  await page.getByTestId("tab-mine").click();
  const mine = page.getByTestId("messages-mine").getByTestId("message-entry");
  await expect(mine.first()).toContainText(prompt);
  await expect(mine.first().getByTestId("author-badge")).toBeVisible();
  await mine.first().getByTestId("message-link").click();
  await expect(highlighted(page)).toContainText(prompt);
  await expect(highlighted(page).getByTestId("count-up")).toBeDisabled();

  // Edit it: unchanged text cannot be saved, a change can; the history keeps both versions.
  await openMenu(highlighted(page));
  await expect(page.getByTestId("menu-upvote")).toHaveAttribute("data-disabled", "");
  await capture(page, "message-menu");
  await page.getByTestId("menu-edit").click();
  const editor = highlighted(page).getByTestId("message-editor");
  await expect(editor.getByTestId("edit-unchanged")).toBeVisible();
  await expect(editor.getByTestId("edit-save")).toBeDisabled();
  const edited = `${prompt} It gets four hours of sun.`;
  await editor.getByTestId("reply-input").fill(edited);
  await capture(page, "message-edit");
  await editor.getByTestId("edit-save").click();
  await expect(highlighted(page).getByTestId("message-editor")).toHaveCount(0);
  await expect(highlighted(page).getByTestId("message-text")).toContainText("four hours of sun");
  await expect(highlighted(page).getByTestId("edited-badge")).toBeVisible();

  await openMenu(highlighted(page));
  await page.getByTestId("menu-history").click();
  const history = page.getByTestId("history-dialog");
  await expect(history.getByTestId("revision")).toHaveCount(2);
  await expect(history.getByTestId("revision").first()).toContainText("Original");
  await expect(history.getByTestId("revision").last()).toContainText("four hours of sun");
  await capture(page, "message-history");
  await page.keyboard.press("Escape");
  await expect(history).toBeHidden();
  // Focus returns to the menu button that opened the dialog.
  await expect(highlighted(page).getByTestId("message-menu")).toBeFocused();
});

test("a moderator deletes a message, contributors no longer see it, and the moderator restores it", async ({ browser }) => {
  const mod = await newContext(browser);
  const reader = await newContext(browser);
  await signIn(mod.page, uniqueName("Mod"), "moderator");
  await signIn(reader.page, uniqueName("Rea"));

  // A reply that is a leaf of a bigger (demo) tree, so the delete takes nothing else with it; other specs' fresh
  // prompts are single-message trees and are skipped.
  await mod.page.goto("/messages");
  await expect(mod.page.getByTestId("messages-recent").getByTestId("message-entry")).toHaveCount(10);
  const recentIds = await mod.page.getByTestId("messages-recent").getByTestId("message-entry").evaluateAll(
    (entries) => entries.map((entry) => entry.getAttribute("data-message-id")!),
  );
  let leafId: string | null = null;
  for (const id of recentIds) {
    await mod.page.goto(`/messages/${id}`);
    const entries = mod.page.getByTestId("message-tree").getByTestId("message-entry");
    await expect(entries.first()).toBeVisible();
    if ((await entries.count()) > 1) {
      leafId = await entries.last().getAttribute("data-message-id");
      break;
    }
  }
  expect(leafId).not.toBeNull();
  await mod.page.goto(`/messages/${leafId}`);
  const entry = highlighted(mod.page);
  await expect(entry).toHaveAttribute("data-message-id", leafId!);
  // Moderators always see the vote counts.
  await expect(entry.getByTestId("count-up")).toBeVisible();
  // The menu works from the keyboard, once the page can open it (a disabled button takes no focus).
  await expect(entry.getByTestId("message-menu")).toBeEnabled();
  await entry.getByTestId("message-menu").focus();
  await mod.page.keyboard.press("Enter");
  await expect(mod.page.getByTestId("message-menu-content")).toBeVisible();
  await mod.page.keyboard.press("Escape");
  await expect(mod.page.getByTestId("message-menu-content")).toBeHidden();
  await expect(entry.getByTestId("message-menu")).toBeFocused();

  await openMenu(entry);
  await mod.page.getByTestId("menu-delete").click();
  const confirm = mod.page.getByTestId("delete-dialog");
  await expect(confirm).toContainText("Undelete restores");
  await confirm.getByTestId("delete-confirm").click();
  await expect(confirm).toBeHidden();
  await expect(highlighted(mod.page).getByTestId("deleted-badge")).toBeVisible();
  await capture(mod.page, "message-moderator");

  // A contributor cannot open it any more: a real 404.
  const gone = await reader.page.goto(`/messages/${leafId}`);
  expect(gone?.status()).toBe(404);
  await expect(reader.page.getByTestId("status-page")).toHaveAttribute("data-status", "404");

  await openMenu(highlighted(mod.page));
  await mod.page.getByTestId("menu-undelete").click();
  await expect(highlighted(mod.page).getByTestId("deleted-badge")).toHaveCount(0);
  await reader.page.reload();
  await expect(highlighted(reader.page)).toHaveAttribute("data-message-id", leafId!);

  // Contributors have no moderation items.
  await openMenu(highlighted(reader.page));
  await expect(reader.page.getByTestId("menu-delete")).toHaveCount(0);
  await expect(reader.page.getByTestId("menu-edit")).toHaveCount(0);
  await Promise.all([mod.context.close(), reader.context.close()]);
});

test("a message's menu clicked while the page's scripts are still loading opens once the page can open it", async ({ page }) => {
  await signIn(page, uniqueName("Noor"));
  await page.goto("/messages");
  const first = page.getByTestId("messages-recent").getByTestId("message-entry").first();
  const id = await first.getAttribute("data-message-id");
  // Scripts arrive late, as on a slow phone: the server-rendered tree (styles included) shows seconds before React
  // can handle a click. Routing also turns the browser cache off, so every script is fetched, and delayed, again.
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await route.continue();
  });
  await page.goto(`/messages/${id}`, { waitUntil: "commit" });
  await expect(highlighted(page).getByTestId("message-menu")).toBeVisible();
  await openMenu(highlighted(page));
  await page.getByTestId("menu-upvote").click();
  await expect(highlighted(page).getByTestId("count-up")).toHaveAttribute("aria-pressed", "true");
});
