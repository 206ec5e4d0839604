import { expect, type Page, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";
import { labelNotSpamAndSubmit, openTask, openTaskAbout, signInContributor, writeAndSubmit } from "./support/tasks";

test("every kind of task page renders and submits, and errors are shown readably", async ({ browser }) => {
  const contexts = await Promise.all([1, 2, 3].map(() => browser.newContext()));
  const [ana, bo, cy] = (await Promise.all(contexts.map((context) => context.newPage()))) as [Page, Page, Page];
  await signInContributor(ana, uniqueName("Ana"), devSignIn);
  await signInContributor(bo, uniqueName("Bo"), devSignIn);
  await signInContributor(cy, uniqueName("Cy"), devSignIn);

  const prompt = `How do tides work, and why are there two a day? ${Date.now()}`;
  await openTask(ana, "initial_prompt");
  await writeAndSubmit(ana, prompt);
  await openTaskAbout(bo, "label_initial_prompt", prompt);
  await labelNotSpamAndSubmit(bo);
  await openTaskAbout(cy, "label_initial_prompt", prompt);
  await labelNotSpamAndSubmit(cy);

  await openTaskAbout(bo, "assistant_reply", prompt);
  await writeAndSubmit(bo, "The Moon's gravity pulls the oceans into two bulges, one facing it and one opposite.");
  await openTaskAbout(cy, "label_assistant_reply", prompt);
  await labelNotSpamAndSubmit(cy);

  // The accepted assistant reply now takes a reply as the user.
  await openTaskAbout(ana, "prompter_reply", prompt);
  await captureScreens(ana, "task-prompter-reply");
  await writeAndSubmit(ana, "Thanks! Why are some tides higher than others?");
  await openTaskAbout(bo, "label_prompter_reply", prompt);
  await labelNotSpamAndSubmit(bo);

  // A too-long answer cannot be sent and says why.
  await openTask(cy, "initial_prompt");
  await cy.getByTestId("reply-input").fill("x".repeat(2001));
  await expect(cy.getByText(/1 characters over the limit/)).toBeVisible();
  await expect(cy.getByTestId("review")).toBeDisabled();

  // Keyboard: Ctrl+Enter goes to review, then submits.
  await cy.getByTestId("reply-input").fill("What makes a good night's sleep?");
  await cy.keyboard.press("Control+Enter");
  await expect(cy.getByTestId("submit")).toBeVisible();
  await cy.keyboard.press("Control+Enter");
  await expect(cy.getByTestId("task-thanks")).toBeVisible();

  // "I'm feeling lucky" hands out whatever is needed most, here a review of Cy's new prompt.
  await openTask(ana, "random");
  await expect(ana.getByTestId("task")).toBeVisible();
  await captureScreens(ana, "task-random");

  await Promise.all(contexts.map((context) => context.close()));
});
