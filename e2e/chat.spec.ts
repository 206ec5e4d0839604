import { expect, test, type Locator, type Page } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { startChatWorker, type ChatWorker } from "./support/chat-worker";
import { captureScreens } from "./support/screenshots";
import { signInContributor } from "./support/tasks";

/**
 * A chat in the browser, with a worker running the HTTP engine against a local OpenAI-compatible test server (one
 * token per 100 ms): picks a served model, sends custom instructions, streams an answer, stops one, regenerates one
 * as drafts and picks one, switches branches, votes, edits a prompt, and manages the chat in the list (rename,
 * hide/unhide, delete).
 */
const MODEL = "OA_SFT_Llama2_70B_10";

let worker: ChatWorker;
let replies = 0;

test.beforeAll(async () => {
  worker = await startChatWorker(MODEL);
});

test.afterAll(async () => {
  await worker?.stop();
});

/** Short answers with Markdown in them, numbered so each regeneration is recognisable. */
function shortAnswers() {
  worker.mock.behaviour.tokens = () => {
    replies++;
    return [`Answer ${replies}:`, " here", " is", " **bold**", " text", " and", " code:\n\n", "```js\n", "const x = 1;\n", "```\n"];
  };
}

function longAnswer() {
  worker.mock.behaviour.tokens = () => {
    replies++;
    return [`Story ${replies}:`, ...Array.from({ length: 200 }, (_, index) => ` word${index}`)];
  };
}

const assistantMessages = (page: Page) => page.getByTestId("assistant-message");
const lastAssistant = (page: Page): Locator => assistantMessages(page).last();

test("chat: stream, stop, regenerate, branches, votes, edit, list", async ({ page }) => {
  await signInContributor(page, uniqueName("chatter"), devSignIn);

  await test.step("empty list, new chat", async () => {
    await page.goto("/chat");
    await expect(page.getByTestId("chat-list-empty")).toBeVisible();
    await page.getByTestId("new-chat").first().click();
    await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("chat-empty")).toBeVisible();
  });

  await test.step("streams an answer (Enter sends, Shift+Enter is a newline) with the custom instructions", async () => {
    shortAnswers();
    // Only served models can be picked; the others are listed under "Not available right now".
    const picker = page.getByTestId("chat-config").getByTestId("chat-model");
    await expect(picker.locator("optgroup[label='Not available right now'] option").first()).toBeDisabled();
    await picker.selectOption(MODEL);
    await expect(page.getByText(/Workers online: 1/)).toBeVisible();
    await page.getByTestId("chat-config").getByTestId("user-profile").fill("I test this chat in a browser.");
    await page.getByTestId("chat-config").getByTestId("user-response-instructions").fill("Answer with short examples.");
    const input = page.getByTestId("chat-input");
    await input.fill("Hello assistant");
    await input.press("Shift+Enter");
    await input.pressSequentially("second line");
    await expect(input).toHaveValue("Hello assistant\nsecond line");
    await input.press("Enter");
    await expect(input).toHaveValue("");
    await expect(page.getByTestId("prompter-message")).toContainText("second line");
    const reply = lastAssistant(page);
    await expect(reply).toHaveAttribute("data-state", "complete", { timeout: 20_000 });
    await expect(reply).toContainText("Answer 1: here is bold text");
    await expect(reply.locator("strong")).toHaveText("bold");
    await expect(reply.locator("pre code")).toContainText("const x = 1;");
    await expect(page.getByTestId("chat-heading")).toHaveText("Hello assistant");
    // The instructions reached the model as the system message.
    const sent = JSON.stringify(worker.mock.requests.at(-1)!.body.messages);
    expect(sent).toContain("I test this chat in a browser.");
    expect(sent).toContain("Answer with short examples.");
  });

  await test.step("stops an answer mid-generation", async () => {
    longAnswer();
    await page.getByTestId("chat-input").fill("Tell me a long story");
    await page.getByTestId("chat-input").press("Enter");
    const reply = lastAssistant(page);
    await expect(reply.getByTestId("live-reply")).toContainText("word3", { timeout: 20_000 });
    await page.getByTestId("stop").click();
    await expect(reply).toHaveAttribute("data-state", "complete");
    await expect(reply.getByTestId("stopped-badge")).toBeVisible();
    const text = await reply.innerText();
    expect(text).not.toContain("word150");
    await page.waitForTimeout(800);
    expect(await reply.innerText()).toBe(text);
    await expect(page.getByTestId("send")).toBeVisible();
  });

  await test.step("regenerates the stopped answer as three drafts, picks one, and switches between the branches", async () => {
    shortAnswers();
    await lastAssistant(page).getByTestId("regenerate").click();
    const picker = page.getByTestId("draft-picker");
    await expect(picker.getByTestId("draft")).toHaveCount(3);
    await expect(page.getByTestId("pick-draft-hint")).toBeVisible();
    await expect(page.getByTestId("send")).toBeDisabled();
    for (let index = 0; index < 3; index++) await expect(picker.getByTestId("draft").nth(index)).toHaveAttribute("data-state", "complete", { timeout: 30_000 });
    await expect(picker.getByTestId("choose-draft").nth(1)).toBeEnabled();
    await captureScreens(page, "chat-drafts");
    const chosen = (await picker.getByTestId("draft").nth(1).innerText()).match(/Answer \d+/)![0];
    await picker.getByTestId("choose-draft").nth(1).click();
    await expect(picker).toBeHidden();
    const reply = lastAssistant(page);
    await expect(reply).toContainText(`${chosen}: here is bold`);
    // The stopped answer, then the three drafts: the chosen one is the third sibling.
    await expect(reply.getByTestId("branch-position")).toHaveText("3/4");
    await reply.getByTestId("branch-previous").click();
    await lastAssistant(page).getByTestId("branch-previous").click();
    await expect(lastAssistant(page).getByTestId("branch-position")).toHaveText("1/4");
    await expect(lastAssistant(page)).toContainText("Story");
    await expect(lastAssistant(page).getByTestId("stopped-badge")).toBeVisible();
    await lastAssistant(page).getByTestId("branch-next").click();
    await lastAssistant(page).getByTestId("branch-next").click();
    await expect(lastAssistant(page).getByTestId("branch-position")).toHaveText("3/4");
    await expect(lastAssistant(page)).toContainText(`${chosen}: here is bold`);
  });

  await test.step("votes, and the same thumb again takes the vote back", async () => {
    const up = lastAssistant(page).getByTestId("vote-up");
    await up.click();
    await expect(up).toHaveAttribute("aria-pressed", "true");
    // The vote and the shown branch survive a reload.
    await page.reload();
    await expect(lastAssistant(page).getByTestId("branch-position")).toHaveText("3/4");
    await expect(lastAssistant(page).getByTestId("vote-up")).toHaveAttribute("aria-pressed", "true");
    await lastAssistant(page).getByTestId("vote-up").click();
    await expect(lastAssistant(page).getByTestId("vote-up")).toHaveAttribute("aria-pressed", "false");
    await lastAssistant(page).getByTestId("vote-down").click();
    await expect(lastAssistant(page).getByTestId("vote-down")).toHaveAttribute("aria-pressed", "true");
    await page.reload();
    await expect(lastAssistant(page).getByTestId("vote-down")).toHaveAttribute("aria-pressed", "true");
  });

  await test.step("editing a prompt makes a sibling branch", async () => {
    const prompt = page.getByTestId("prompter-message").nth(1);
    await prompt.getByTestId("edit-prompt").click();
    await prompt.getByTestId("edit-input").fill("Tell me a short story instead");
    await prompt.getByTestId("edit-input").press("Enter");
    const edited = page.getByTestId("prompter-message").nth(1);
    await expect(edited).toContainText("short story instead");
    await expect(edited.getByTestId("branch-position")).toHaveText("2/2");
    await expect(lastAssistant(page)).toHaveAttribute("data-state", "complete", { timeout: 20_000 });
    await expect(lastAssistant(page).getByTestId("branch-pager")).toHaveCount(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await captureScreens(page, "chat");
  });

  await test.step("phone: the settings open in a drawer", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await expect(page.getByTestId("chat-config")).toBeHidden();
    await page.getByTestId("config-open").click();
    const drawer = page.getByTestId("config-drawer");
    await expect(drawer.getByTestId("chat-preset")).toBeVisible();
    await drawer.getByTestId("chat-preset").selectOption("Custom");
    await expect(drawer.getByLabel("Temperature", { exact: true })).toBeEnabled();
    await page.screenshot({ path: "e2e/artifacts/screenshots/chat-config-phone.png" });
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect(page.getByTestId("chat-config").getByTestId("chat-preset")).toHaveValue("Custom");
  });

  await test.step("report dialog", async () => {
    await lastAssistant(page).getByTestId("report-open").click();
    await page.getByTestId("report-reason").fill("Just checking the report form.");
    await page.getByTestId("report-submit").click();
    await expect(page.getByTestId("report-dialog")).toBeHidden();
    await expect(lastAssistant(page)).toContainText("Reported");
  });

  await test.step("list: rename, hide, unhide, delete", async () => {
    await page.goto("/chat");
    const item = page.getByTestId("chat-list-item").filter({ hasText: "Hello assistant" });
    await expect(item).toBeVisible();
    await captureScreens(page, "chat-list");
    await item.getByTestId("chat-rename").click();
    await page.getByTestId("chat-rename-input").fill("Renamed chat");
    await page.getByTestId("chat-rename-input").press("Enter");
    const renamed = page.getByTestId("chat-list-item").filter({ hasText: "Renamed chat" });
    await expect(renamed).toBeVisible();
    await renamed.getByTestId("chat-hide").click();
    await expect(page.getByTestId("chat-list-empty")).toBeVisible();
    await page.getByTestId("show-hidden").check();
    await renamed.getByTestId("chat-unhide").click();
    await page.getByTestId("show-hidden").uncheck();
    await expect(renamed).toBeVisible();
    await renamed.getByTestId("chat-delete").click();
    await page.getByTestId("chat-delete-dialog-confirm").click();
    await expect(page.getByTestId("chat-list-empty")).toBeVisible();
  });
});
