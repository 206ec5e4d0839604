import { expect, type Page, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";
import { openTask, openTaskAbout, signInContributor, writeAndSubmit } from "./support/tasks";

/** Picks a language in the header's language menu by its own name ("中文", "English"). */
async function chooseLanguage(page: Page, name: string) {
  await page.getByTestId("language-select").click();
  await page.getByRole("menuitemradio", { name, exact: true }).click();
}

test("the UI switches to Chinese and back, and a Chinese user gets Chinese tasks", async ({ browser }) => {
  const contexts = await Promise.all([1, 2, 3].map(() => browser.newContext()));
  const [li, wang, ann] = (await Promise.all(contexts.map((context) => context.newPage()))) as [Page, Page, Page];

  const name = uniqueName("Li");
  await signInContributor(li, name, devSignIn);
  await expect(li.locator("html")).toHaveAttribute("lang", "en");
  await expect(li.getByTestId("dashboard-welcome")).toHaveText(`Welcome, ${name}!`);

  // Every language is offered under its own name.
  await li.getByTestId("language-select").click();
  for (const own of ["English", "中文", "Español", "Deutsch", "Français", "Русский", "日本語"]) {
    await expect(li.getByRole("menuitemradio", { name: own, exact: true })).toBeVisible();
  }
  await expect(li.getByRole("menuitemradio", { name: "English" })).toHaveAttribute("aria-checked", "true");
  await expect(li.getByRole("menuitemradio", { name: "中文" })).toHaveAttribute("lang", "zh");
  await captureScreens(li, "language-menu");
  await li.keyboard.press("Escape");

  await chooseLanguage(li, "中文");
  await expect(li.locator("html")).toHaveAttribute("lang", "zh");
  await expect(li.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(li.getByTestId("dashboard-welcome")).toHaveText(`欢迎，${name}！`);
  await expect(li.getByRole("heading", { name: "领取任务" })).toBeVisible();
  await expect(li.getByTestId("tile-initial_prompt")).toContainText("创建初始提示");
  await expect(li.getByRole("link", { name: "仪表板" }).first()).toBeVisible();
  await expect(li.getByTestId("language-select")).toHaveAccessibleName("语言: 中文");
  expect((await contexts[0]!.cookies()).find((cookie) => cookie.name === "NEXT_LOCALE")?.value).toBe("zh");

  // The choice is remembered across page loads.
  await li.reload();
  await expect(li.getByTestId("dashboard-welcome")).toHaveText(`欢迎，${name}！`);
  await captureScreens(li, "dashboard-zh");

  // The task data language follows the UI language: the task is requested in "zh" and the editor expects Chinese.
  const taskRequest = li.waitForRequest((request) => request.url().includes("tasks.request") && request.method() === "POST");
  await li.goto("/tasks/initial_prompt");
  expect((await taskRequest).postData()).toContain('"lang":"zh"');
  await expect(li.getByTestId("task")).toBeVisible();
  await expect(li.getByRole("heading", { level: 1 })).toHaveText("创建初始提示");
  await li.getByTestId("reply-input").fill("What is the best way for an adult to learn to play the piano well?");
  await expect(li.getByTestId("lang-warning")).toContainText("这看起来不像中文");
  const prompt = `成年人学习弹钢琴，最好的方法是什么？每天需要练习多长时间才能看到进步？${Date.now()}`;
  await writeAndSubmit(li, prompt);
  await expect(li.getByTestId("task-thanks")).toHaveText(/谢谢！/);

  // Another Chinese contributor is asked to review that Chinese prompt; an English one is not.
  await signInContributor(wang, uniqueName("Wang"), devSignIn);
  await chooseLanguage(wang, "中文");
  await expect(wang.getByTestId("tile-count-label_initial_prompt")).toHaveText(/个任务可做/);
  await openTaskAbout(wang, "label_initial_prompt", prompt);
  await expect(wang.getByRole("heading", { level: 1 })).toHaveText("标注初始提示");

  await signInContributor(ann, uniqueName("Ann"), devSignIn);
  await openTask(ann, "label_initial_prompt");
  if (await ann.getByTestId("task").isVisible()) await expect(ann.getByTestId("conversation")).not.toContainText(prompt);

  // And back to English.
  await li.goto("/dashboard");
  await chooseLanguage(li, "English");
  await expect(li.locator("html")).toHaveAttribute("lang", "en");
  await expect(li.getByTestId("dashboard-welcome")).toHaveText(`Welcome, ${name}!`);
  await expect(li.getByRole("heading", { name: "Grab a task" })).toBeVisible();

  await Promise.all(contexts.map((context) => context.close()));
});

test("a visitor without a choice gets the browser's preferred language", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("人人可用的对话式 AI");
  await context.close();
});
