import { type Browser, expect, type Page, test } from "@playwright/test";
import { devSignIn, type DevRole, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";
import { openTask, writeAndSubmit } from "./support/tasks";

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

async function signIn(page: Page, name: string, role: DevRole = "general", callbackPath = "/dashboard") {
  // Every user here is new: contributor pages ask for the terms first; the console (staff only) does not.
  await devSignIn(page, name, role, callbackPath);
  if (!callbackPath.startsWith("/admin")) await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(new RegExp(`${callbackPath}$`));
}

/** Full-page screenshots of an admin page from the top, light/dark, desktop/phone. */
async function capture(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await captureScreens(page, `admin-${name}`);
}

test("report → queue → delete and halt → journal → ban → API key → 403", async ({ browser }) => {
  test.setTimeout(420_000);
  const authorName = uniqueName("Author");
  const moderatorName = uniqueName("Moderator");

  // An author writes a prompt.
  const author = await newPage(browser);
  await signIn(author, authorName);
  await openTask(author, "initial_prompt");
  const prompt = `Which houseplants survive a dark hallway? ${Date.now()}`;
  await writeAndSubmit(author, prompt);
  await author.goto("/messages");
  await author.getByTestId("tab-mine").click();
  const mine = author.getByTestId("messages-mine").getByTestId("message-entry").first();
  await expect(mine).toContainText(prompt);
  const messageId = await mine.getAttribute("data-message-id");

  // A contributor reports it.
  const contributor = await newPage(browser);
  await signIn(contributor, uniqueName("Reporter"));
  await contributor.goto(`/messages/${messageId}`);
  const entry = contributor.locator(`[data-testid="message-entry"][data-message-id="${messageId}"]`);
  await entry.getByTestId("message-menu").click();
  await contributor.getByTestId("menu-report").click();
  const report = contributor.getByTestId("report-dialog");
  await report.getByTestId("label-spam-yes").check({ force: true });
  await report.getByTestId("report-reason").fill("Advertising a plant shop.");
  await report.getByTestId("report-submit").click();
  await expect(report).toBeHidden();

  // The contributor is no moderator: /admin is a real 403 with the styled page; anonymous visitors go to sign-in.
  const forbidden = await contributor.goto("/admin");
  expect(forbidden?.status()).toBe(403);
  // The app's one styled 403 page (src/app/forbidden.tsx).
  await expect(contributor.getByTestId("status-page")).toHaveAttribute("data-status", "403");
  await capture(contributor, "forbidden");
  const anonymous = await contributor.request.fetch("/admin/queue", { maxRedirects: 0, headers: { cookie: "" } });
  expect(anonymous.status()).toBe(307);
  expect(anonymous.headers().location).toContain("/signin");

  // A moderator finds it in the queue, deletes it and halts its tree.
  const moderator = await newPage(browser);
  await signIn(moderator, moderatorName, "moderator", "/admin");
  await moderator.goto("/admin/queue?kind=flagged");
  const item = moderator.getByTestId("queue-item").filter({ hasText: prompt });
  await expect(item).toBeVisible();
  await item.click();
  const detail = moderator.getByTestId("queue-detail");
  await expect(detail).toContainText("Advertising a plant shop.");
  await capture(moderator, "queue");
  await moderator.getByTestId("queue-action-delete").click();
  await expect(detail.getByText("deleted", { exact: true }).first()).toBeVisible();
  // The keyboard works too: h halts the tree.
  await expect(moderator.getByTestId("queue-action-halt")).toBeEnabled();
  await moderator.keyboard.press("h");
  await expect(detail).toContainText("halted by moderator");
  // The item's own journal shows both, with the moderator's name, for whoever opens it next.
  const itemJournal = detail.getByTestId("queue-journal-entry").filter({ hasText: moderatorName });
  await expect(itemJournal.filter({ hasText: "delete message" })).toHaveCount(1);
  await expect(itemJournal.filter({ hasText: "halt tree" })).toHaveCount(1);
  await capture(moderator, "queue-journal");
  // Actions are disabled until the list shows the item's new version (a stale version would be a CONFLICT).
  await expect(moderator.getByTestId("queue-action-reviewed")).toBeEnabled();
  await moderator.keyboard.press("r");
  await expect(moderator.getByTestId("queue-item").filter({ hasText: prompt })).toHaveCount(0);

  // The journal shows both actions with the moderator's name.
  await moderator.goto("/admin/journal");
  const journal = moderator.getByTestId("journal-entry");
  await expect(journal.filter({ hasText: "moderation_delete_message" }).filter({ hasText: moderatorName })).toHaveCount(1);
  await expect(journal.filter({ hasText: "moderation_halt_tree" }).filter({ hasText: moderatorName })).toHaveCount(1);
  await capture(moderator, "journal");

  // A moderator does not see the API clients page.
  await expect(moderator.getByTestId("admin-nav-apiClients")).toHaveCount(0);
  expect((await moderator.goto("/admin/api-clients"))?.status()).toBe(403);

  // An admin bans the author, who is then refused everywhere.
  const admin = await newPage(browser);
  await signIn(admin, uniqueName("Admin"), "admin", "/admin");
  await admin.goto(`/admin/users?q=${encodeURIComponent(authorName)}`);
  await admin.getByTestId("users-table").getByRole("link", { name: authorName }).click();
  await expect(admin).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}$/);
  admin.once("dialog", (dialog) => void dialog.accept());
  await admin.getByTestId("user-ban").click();
  await expect(admin.getByTestId("user-role")).toHaveText("banned");
  await author.goto("/dashboard");
  await expect(author).toHaveURL(/\/suspended/);
  const refused = await author.request.get("/api/trpc/users.me");
  expect(refused.status()).toBe(403);
  await capture(admin, "user");

  // An admin creates an API key and sees it exactly once.
  await admin.goto("/admin/api-clients");
  await admin.getByLabel("Description").fill("Discord bot");
  await admin.getByTestId("api-client-create").click();
  const key = await admin.getByTestId("api-key-value").textContent();
  expect(key).toMatch(/^oak_[0-9a-f]{64}$/);
  const botRow = admin.getByTestId("api-client-row").filter({ hasText: "Discord bot" });
  await expect(botRow).toBeVisible();
  // Live rate-limit figures from the limiter: a new key has used nothing of its window yet.
  await expect(botRow.getByTestId("api-client-rate")).toContainText(/^0 \/ [\d,. ]+$/);
  await capture(admin, "api-clients");
  await admin.reload();
  await expect(admin.getByTestId("api-client-row").filter({ hasText: "Discord bot" })).toBeVisible();
  await expect(admin.getByTestId("api-key-value")).toHaveCount(0);
  expect(await admin.content()).not.toContain(key!);

  // Every other console page renders; screenshots of each, light/dark, desktop/phone.
  for (const [name, path] of [
    ["home", "/admin"], ["users", "/admin/users"], ["messages", `/admin/messages?q=houseplants`], ["trees", "/admin/trees"],
    ["trollboard", "/admin/trollboard"], ["status", "/admin/status"], ["parameters", "/admin/parameters"],
    ["workers", "/admin/workers"], ["dataset", "/admin/dataset"],
  ] as const) {
    const response = await admin.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(admin.getByTestId("admin-content")).toBeVisible();
    if (name === "status") {
      await expect(admin.getByTestId("job-run-row").first()).toBeVisible();
      // No toxicity model is configured here (the default): the job says it is off and why, instead of a run per message.
      await expect(admin.getByTestId("job-run-row").filter({ hasText: "score-toxicity" }).getByTestId("job-off")).toContainText("TOXICITY_PROVIDER=none");
    }
    await capture(admin, name);
  }
  await admin.goto(`/admin/messages/${messageId}`);
  await expect(admin.getByTestId("admin-content")).toContainText(prompt);
  await capture(admin, "message");
  await admin.goto(`/admin/trees/${messageId}`);
  await expect(admin.getByTestId("tree-history")).toContainText("halted by moderator");
  await capture(admin, "tree");

  // On a phone the navigation is a drawer.
  await admin.setViewportSize({ width: 375, height: 812 });
  await admin.goto("/admin");
  await admin.getByTestId("admin-nav-open").click();
  await admin.getByRole("dialog").getByTestId("admin-nav-queue").click();
  await expect(admin).toHaveURL(/\/admin\/queue$/);
  await captureScreens(admin, "admin-nav-drawer");
});
