import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { createKey, restClient } from "../test-client.test-helper";

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
});
