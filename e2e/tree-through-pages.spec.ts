import { expect, type Page, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";
import { labelNotSpamAndSubmit, openTask, openTaskAbout, writeAndSubmit } from "./support/tasks";

test("three contributors take a tree from a new prompt to ready_for_export through the pages", async ({ browser }) => {
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

  await openTaskAbout(ben, "label_initial_prompt", prompt);
  await captureScreens(ben, "task-label");
  await labelNotSpamAndSubmit(ben);
  await openTaskAbout(cai, "label_initial_prompt", prompt);
  await labelNotSpamAndSubmit(cai);

  await openTaskAbout(ben, "assistant_reply", prompt);
  await writeAndSubmit(ben, "Start with fifteen minutes a day, learn a few open chords, and play songs you love.");
  await openTaskAbout(cai, "assistant_reply", prompt);
  await writeAndSubmit(cai, "Take a few lessons to avoid bad habits, then practise regularly with a metronome.");

  // The authors of the replies cannot rank them: an empty state or another tree's ranking (the demo seed has some),
  // not an error page and never their own.
  await openTask(ben, "rank_assistant_replies");
  if (await ben.getByTestId("task").isVisible()) await expect(ben.getByTestId("conversation")).not.toContainText(prompt);

  for (let i = 0; i < 2; i++) {
    await openTaskAbout(ada, "label_assistant_reply", prompt);
    await labelNotSpamAndSubmit(ada);
  }

  await openTaskAbout(ada, "rank_assistant_replies", prompt);
  await expect(ada.getByTestId("rank-item")).toHaveCount(2);
  await captureScreens(ada, "task-rank");
  const firstBefore = await ada.getByTestId("rank-item").first().getAttribute("data-message-id");
  await ada.getByTestId("rank-down").first().click();
  await expect(ada.getByTestId("rank-item").nth(1)).toHaveAttribute("data-message-id", firstBefore!);
  await ada.getByTestId("review").click();
  await ada.getByTestId("submit").click();
  await expect(ada.getByTestId("task-thanks")).toBeVisible();

  // The tree is done: nothing of it is left to rank for anyone.
  await openTask(cai, "rank_assistant_replies");
  if (await cai.getByTestId("task").isVisible()) await expect(cai.getByTestId("conversation")).not.toContainText(prompt);
  await Promise.all(contexts.map((context) => context.close()));
});
