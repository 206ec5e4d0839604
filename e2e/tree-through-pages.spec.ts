import { expect, type Page, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";

/** Opens a task page and waits until a task (or the empty state) is shown. */
async function openTask(page: Page, type: string) {
  await page.goto(`/tasks/${type}`);
  await expect(page.getByTestId("task").or(page.getByTestId("no-tasks"))).toBeVisible();
}

async function writeAndSubmit(page: Page, text: string) {
  await page.getByTestId("reply-input").fill(text);
  await page.getByTestId("review").click();
  await expect(page.getByTestId("reply-preview")).toContainText(text.slice(0, 20));
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("task-thanks")).toBeVisible();
}

async function labelNotSpamAndSubmit(page: Page) {
  await page.getByTestId("label-spam-no").check({ force: true });
  await page.getByTestId("review").click();
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("task-thanks")).toBeVisible();
}

test("three contributors take a tree from a new prompt to ready_for_export through the pages", async ({ browser }) => {
  test.setTimeout(180_000);
  const contexts = await Promise.all([1, 2, 3].map(() => browser.newContext()));
  const [ada, ben, cai] = await Promise.all(contexts.map((context) => context.newPage())) as [Page, Page, Page];
  const signIn = async (page: Page, name: string) => {
    await devSignIn(page, name, "general");
    await page.getByTestId("accept-tos").click();
    await expect(page).toHaveURL(/\/dashboard$/);
  };
  await signIn(ada, uniqueName("Ada"));
  await signIn(ben, uniqueName("Ben"));
  await signIn(cai, uniqueName("Cai"));

  // A skip: Cai passes on a prompt task first.
  await openTask(cai, "initial_prompt");
  await cai.getByTestId("skip").click();
  await cai.getByTestId("skip-confirm").click();
  await expect(cai.getByTestId("task")).toBeVisible();

  await openTask(ada, "initial_prompt");
  await captureScreens(ada, "task-initial-prompt");
  const prompt = `What is a good way to learn the guitar as an adult? ${Date.now()}`;
  await writeAndSubmit(ada, prompt);

  await openTask(ben, "label_initial_prompt");
  await expect(ben.getByTestId("conversation")).toContainText(prompt);
  await captureScreens(ben, "task-label");
  await labelNotSpamAndSubmit(ben);
  await openTask(cai, "label_initial_prompt");
  await labelNotSpamAndSubmit(cai);

  await openTask(ben, "assistant_reply");
  await expect(ben.getByTestId("conversation")).toContainText(prompt);
  await writeAndSubmit(ben, "Start with fifteen minutes a day, learn a few open chords, and play songs you love.");
  await openTask(cai, "assistant_reply");
  await writeAndSubmit(cai, "Take a few lessons to avoid bad habits, then practise regularly with a metronome.");

  // The authors of the replies cannot rank them: an empty state, not an error page.
  await openTask(ben, "rank_assistant_replies");
  await expect(ben.getByTestId("no-tasks")).toBeVisible();

  for (let i = 0; i < 2; i++) {
    await openTask(ada, "label_assistant_reply");
    await labelNotSpamAndSubmit(ada);
  }

  await openTask(ada, "rank_assistant_replies");
  await expect(ada.getByTestId("rank-item")).toHaveCount(2);
  await captureScreens(ada, "task-rank");
  const firstBefore = await ada.getByTestId("rank-item").first().getAttribute("data-message-id");
  await ada.getByTestId("rank-down").first().click();
  await expect(ada.getByTestId("rank-item").nth(1)).toHaveAttribute("data-message-id", firstBefore!);
  await ada.getByTestId("review").click();
  await ada.getByTestId("submit").click();
  await expect(ada.getByTestId("task-thanks")).toBeVisible();

  // The tree is done: nothing left to rank for anyone.
  await openTask(cai, "rank_assistant_replies");
  await expect(cai.getByTestId("no-tasks")).toBeVisible();
  await Promise.all(contexts.map((context) => context.close()));
});
