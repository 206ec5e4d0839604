import { expect, type Page, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";
import { labelNotSpamAndSubmit, openTask, openTaskAbout, signInContributor, writeAndSubmit } from "./support/tasks";

/** Recomputes the all-time leaderboard now, as a moderator (the scheduled job would do it within minutes). */
async function refreshTotalLeaderboard(moderator: Page) {
  const response = await moderator.request.post("/api/trpc/leaderboard.refresh", { data: { json: { timeFrame: "total" } } });
  expect(response.ok()).toBe(true);
}

test("a contributor's score rises on the dashboard after the leaderboard refresh", async ({ browser }) => {
  const contexts = await Promise.all([1, 2, 3].map(() => browser.newContext()));
  const [writer, reviewer, moderator] = (await Promise.all(contexts.map((context) => context.newPage()))) as [Page, Page, Page];
  await signInContributor(writer, uniqueName("Writer"), devSignIn);
  await signInContributor(reviewer, uniqueName("Reviewer"), devSignIn);
  await devSignIn(moderator, uniqueName("Moderator"), "moderator");
  await moderator.getByTestId("accept-tos").click();

  await expect(reviewer.getByTestId("my-standing")).toContainText("0 points overall");

  const prompt = `Which houseplants survive in a dark flat? ${Date.now()}`;
  await openTask(writer, "initial_prompt");
  await writeAndSubmit(writer, prompt);
  // A full review of a prompt is worth 2 points (spec §4.3: 2 × labels_full).
  await openTaskAbout(reviewer, "label_initial_prompt", prompt);
  await labelNotSpamAndSubmit(reviewer);

  await refreshTotalLeaderboard(moderator);
  await reviewer.goto("/dashboard");
  await expect(reviewer.getByTestId("my-standing")).toContainText("2 points overall");
  await expect(reviewer.getByTestId("my-rank")).toContainText("#");
  await captureScreens(reviewer, "dashboard-with-score");

  await reviewer.goto("/leaderboard?tf=total");
  await expect(reviewer.getByText(/Reviewer/).first()).toBeVisible();
  await captureScreens(reviewer, "leaderboard");
  await reviewer.goto("/stats");
  await captureScreens(reviewer, "stats");
  await Promise.all(contexts.map((context) => context.close()));
});
