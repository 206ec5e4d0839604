import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { createKey, restClient } from "../test-client.test-helper";
import { ZTaskJson } from "./task-json";

const t = setupTestDatabase();
const user = { id: "__test_user__", display_name: "Test User", auth_method: "local" };

describe("POST /tasks, ack, interaction (the product's first example)", () => {
  it("hands out an initial prompt, binds the message id and stores the prompt", async () => {
    await createKey(t.db, "1234", { trusted: true });
    const api = restClient(t.db, { key: "1234" });
    const task = await api.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user, lang: "en" });
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ type: "initial_prompt", hint: null });
    const id = (task.body as { id: string }).id;
    const ack = await api.backend("POST", `/api/v1/tasks/${id}/ack`, { message_id: "test_msg_001" });
    expect(ack.status).toBe(204);
    const result = await api.backend("POST", "/api/v1/tasks/interaction", {
      type: "text_reply_to_message", user, message_id: "test_msg_001", text: "如何学习 Python 编程？", lang: "zh",
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ type: "task_done" });
  });

  it("answers errors in the original's shape", async () => {
    const api = restClient(t.db, { key: "1234" });
    const noKey = await restClient(t.db).backend("POST", "/api/v1/tasks", { type: "random", user });
    expect(noKey.status).toBe(403);
    expect(noKey.body).toMatchObject({ error_code: 2 });
    const unknown = await api.backend("POST", `/api/v1/tasks/${crypto.randomUUID()}/ack`, { message_id: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error_code: 2100 });
    const bad = await api.backend("POST", "/api/v1/tasks", { type: "nope", user });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error_code: 0, detail: [expect.objectContaining({ loc: ["type"] })] });
  });

  it("acknowledges idempotently, refuses a second binding, declines with nack and checks the owner", async () => {
    await createKey(t.db, "tasks-key");
    const api = restClient(t.db, { key: "tasks-key" });
    const ada = { id: "ada", display_name: "Ada", auth_method: "discord" };
    const task = ZTaskJson.parse((await api.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: ada })).body);
    expect((await api.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "m-1" })).status).toBe(204);
    expect((await api.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "m-1" })).status).toBe(204);
    expect(await api.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "m-2" })).toMatchObject({ status: 400, body: { error_code: 2103 } });
    // Another client cannot see this task at all.
    await createKey(t.db, "stranger-key");
    expect(await restClient(t.db, { key: "stranger-key" }).backend("POST", `/api/v1/tasks/${task.id}/nack`, { reason: "x" })).toMatchObject({ status: 404, body: { error_code: 2100 } });
    // With x-oasst-user, someone else's task is refused (the original did not check).
    expect(await api.backend("POST", `/api/v1/tasks/${task.id}/nack`, { reason: "x" }, { "x-oasst-user": "discord:bob" })).toMatchObject({ status: 400, body: { error_code: 2106 } });
    expect((await api.backend("POST", `/api/v1/tasks/${task.id}/nack`, { reason: "not now" })).status).toBe(204);
    // A declined task cannot be answered (the original accepted answers to skipped tasks).
    const late = await api.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: ada, message_id: "m-1", text: "Too late?" });
    expect(late).toMatchObject({ status: 400, body: { error_code: 2103 } });
  });

  it("answers the original's codes for bad replies, unknown tasks, dead interaction types and unavailable work", async () => {
    await createKey(t.db, "codes-key");
    const api = restClient(t.db, { key: "codes-key" });
    const cy = { id: "cy", display_name: "Cy", auth_method: "local" };
    const task = ZTaskJson.parse((await api.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: cy, lang: "" })).body);
    await api.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "c-1" });
    const reply = (text: string) => api.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: cy, message_id: "c-1", text });
    expect(await reply("   ")).toMatchObject({ status: 400, body: { error_code: 1010 } });
    expect(await reply("x".repeat(2001))).toMatchObject({ status: 400, body: { error_code: 1008 } });
    expect(await api.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: cy, message_id: "never-acked", text: "hi" })).toMatchObject({ status: 404, body: { error_code: 2100 } });
    expect(await api.backend("POST", "/api/v1/tasks/interaction", { type: "message_rating", user: cy, message_id: "c-1", rating: 3 })).toMatchObject({ status: 400, body: { error_code: 2102 } });
    expect(await api.backend("POST", "/api/v1/tasks/interaction", { type: "message_ranking", user: cy, message_id: "c-1", ranking: [0] })).toMatchObject({ status: 400, body: { error_code: 2102 } });
    expect((await reply("A fine first prompt.")).body).toMatchObject({ type: "task_done" });
    expect(await api.backend("POST", "/api/v1/tasks", { type: "summarize_story", user: cy })).toMatchObject({ status: 503, body: { error_code: 1006 } });
    const availability = await api.backend("POST", "/api/v1/tasks/availability?lang=en", cy);
    expect(availability.body).toMatchObject({ initial_prompt: expect.any(Number), assistant_reply: 0 });
  });

  it("refuses text with a NUL character with a typed 400 instead of a 500, and stores lone surrogates as U+FFFD", async () => {
    await createKey(t.db, "nul-key");
    const api = restClient(t.db, { key: "nul-key" });
    const refused = await api.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: { id: "eve\u0000", display_name: "Eve", auth_method: "local" } });
    expect(refused).toMatchObject({ status: 400, body: { app_code: "INVALID_INPUT", message: expect.stringContaining("NUL") } });
    const eve = { id: "eve", display_name: "Eve", auth_method: "local" };
    const task = ZTaskJson.parse((await api.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: eve })).body);
    await api.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "n-1" });
    const nul = await api.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: eve, message_id: "n-1", text: "Null\u0000 byte" });
    expect(nul).toMatchObject({ status: 400, body: { app_code: "INVALID_INPUT" } });
    const done = await api.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: eve, message_id: "n-1", text: "Lone \uD800 surrogate inside" });
    expect(done.body).toMatchObject({ type: "task_done" });
    const [stored] = await t.db.select({ text: messages.text }).from(messages).where(eq(messages.frontendMessageId, "n-1"));
    expect(stored!.text).toBe("Lone \uFFFD surrogate inside");
  });

  it("rate limits task requests per user and type with a Retry-After header", async () => {
    await createKey(t.db, "limit-key");
    const api = restClient(t.db, { key: "limit-key" });
    const dee = { id: "dee", display_name: "Dee", auth_method: "local" };
    let limited = null;
    for (let i = 0; i < 6 && !limited; i++) {
      const response = await api.backend("POST", "/api/v1/tasks", { type: "assistant_reply", user: dee });
      if (response.status === 429) limited = response;
    }
    expect(limited).toMatchObject({ body: { error_code: 429, message: expect.stringContaining("Too many requests") } });
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

