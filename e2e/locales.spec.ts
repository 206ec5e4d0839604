import { expect, type Page, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";
import { captureScreens } from "./support/screenshots";
import { signInContributor } from "./support/tasks";

const OWN_NAMES = [
  "English", "中文", "Español", "Deutsch", "Français", "Русский", "日本語", "العربية", "हिन्दी", "Bahasa Indonesia",
  "Italiano", "한국어", "Polski", "Português (Brasil)", "Türkçe", "Українська", "Tiếng Việt",
];

async function chooseLanguage(page: Page, name: string) {
  await page.getByTestId("language-select").click();
  const item = page.getByRole("menuitemradio", { name, exact: true });
  await item.scrollIntoViewIfNeeded();
  await item.click();
}

test("Arabic lays the app out right to left, and its tasks are Arabic ones", async ({ page }) => {
  const name = uniqueName("Layla");
  await signInContributor(page, name, devSignIn);

  // Every language is offered under its own name; on a phone the list scrolls instead of running off the screen.
  await page.setViewportSize({ width: 375, height: 667 });
  await page.getByTestId("language-select").click();
  for (const own of OWN_NAMES) {
    const item = page.getByRole("menuitemradio", { name: own, exact: true });
    await item.scrollIntoViewIfNeeded();
    await expect(item).toBeInViewport();
  }
  await captureScreens(page, "language-menu-17");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1280, height: 800 });

  await chooseLanguage(page, "العربية");
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByTestId("dashboard-welcome")).toHaveText(`مرحبًا، ${name}!`);
  await expect(page.getByRole("heading", { name: "اختر مهمة" })).toBeVisible();
  await expect(page.getByTestId("tile-initial_prompt")).toContainText("إنشاء موجّهات أولية");
  await captureScreens(page, "dashboard-ar");

  const taskRequest = page.waitForRequest((request) => request.url().includes("tasks.request") && request.method() === "POST");
  await page.goto("/tasks/initial_prompt");
  expect((await taskRequest).postData()).toContain('"lang":"ar"');
  await expect(page.getByTestId("task")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("إنشاء موجّهات أولية");
  await page.getByTestId("reply-input").fill("ما هي أفضل طريقة لتعلّم العزف على البيانو لشخص بالغ يبدأ من الصفر؟");
  await captureScreens(page, "task-ar");
});

test("Brazilian Portuguese asks for pt-BR tasks", async ({ page }) => {
  await signInContributor(page, uniqueName("Ana"), devSignIn);
  await chooseLanguage(page, "Português (Brasil)");
  await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { name: "Pegue uma tarefa" })).toBeVisible();
  expect((await page.context().cookies()).find((cookie) => cookie.name === "NEXT_LOCALE")?.value).toBe("pt-BR");

  const taskRequest = page.waitForRequest((request) => request.url().includes("tasks.request") && request.method() === "POST");
  await page.goto("/tasks/initial_prompt");
  expect((await taskRequest).postData()).toContain('"lang":"pt-BR"');
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Criar prompts iniciais");
});

test("a visitor whose browser prefers Korean gets Korean", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ko-KR" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("모두를 위한 대화형 AI");
  await context.close();
});
