import { expect, test, type Locator, type Page } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { startChatWorker, type ChatWorker } from "./support/chat-worker";
import { captureScreens } from "./support/screenshots";
import { signInContributor } from "./support/tasks";

/**
 * A chat in the browser, with a worker running the HTTP engine against a local OpenAI-compatible test server (one
 * token per 100 ms): streams an answer, stops one, regenerates one, switches branches, votes, edits a prompt, and
 * manages the chat in the list (rename, hide/unhide, delete).
 */
const MODEL = "OA_SFT_Llama2_70B_10";

let worker: ChatWorker;
let replies = 0;

test.beforeAll(async () => {
  test.setTimeout(90_000);
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
  test.setTimeout(180_000);
  await signInContributor(page, uniqueName("chatter"), devSignIn);

  await test.step("empty list, new chat", async () => {
    await page.goto("/chat");
    await expect(page.getByTestId("chat-list-empty")).toBeVisible();
    await page.getByTestId("new-chat").first().click();
    await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("chat-empty")).toBeVisible();
  });

  await test.step("streams an answer (Enter sends, Shift+Enter is a newline)", async () => {
    shortAnswers();
    await page.getByTestId("chat-model").selectOption(MODEL);
    await expect(page.getByText(/Workers online: 1/)).toBeVisible();
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
  });

  await test.step("stops an answer mid-generation", async () => {
    longAnswer();
    await page.getByTestId("chat-input").fill("Tell me a long story");
    await page.getByTestId("chat-input").press("Enter");
    const reply = lastAssistant(page);
    await expect(reply.getByTestId("live-reply")).toContainText("word3", { timeout: 20_000 });
    await page.getByTestId("stop").click();
    await expect(reply).toHaveAttribute("data-state", "complete", { timeout: 10_000 });
    await expect(reply.getByTestId("stopped-badge")).toBeVisible();
    const text = await reply.innerText();
    expect(text).not.toContain("word150");
    await page.waitForTimeout(800);
    expect(await reply.innerText()).toBe(text);
    await expect(page.getByTestId("send")).toBeVisible();
  });

  await test.step("regenerates the stopped answer and switches between the branches", async () => {
    shortAnswers();
    await lastAssistant(page).getByTestId("regenerate").click();
    const reply = lastAssistant(page);
    await expect(reply).toHaveAttribute("data-state", "complete", { timeout: 20_000 });
    await expect(reply).toContainText(/Answer \d+: here is bold/);
    await expect(reply.getByTestId("branch-position")).toHaveText("2/2");
    await reply.getByTestId("branch-previous").click();
    await expect(lastAssistant(page).getByTestId("branch-position")).toHaveText("1/2");
    await expect(lastAssistant(page)).toContainText("Story");
    await expect(lastAssistant(page).getByTestId("stopped-badge")).toBeVisible();
    await lastAssistant(page).getByTestId("branch-next").click();
    await expect(lastAssistant(page).getByTestId("branch-position")).toHaveText("2/2");
    await expect(lastAssistant(page)).toContainText("Answer");
  });

  await test.step("votes, and the same thumb again takes the vote back", async () => {
    const up = lastAssistant(page).getByTestId("vote-up");
    await up.click();
    await expect(up).toHaveAttribute("aria-pressed", "true");
    // The vote and the shown branch survive a reload.
    await page.reload();
    await expect(lastAssistant(page).getByTestId("branch-position")).toHaveText("2/2");
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
