import { describe, expect, it } from "vitest";
import { z } from "zod";
import { setupTestDatabase } from "@/test/database";
import { createKey, restClient } from "../test-client.test-helper";
import { ZMessageJson } from "./message-json";
import { ZTaskJson } from "./task-json";
import { ZFrontEndUserJson } from "./user-json";

const t = setupTestDatabase();
const alice = { id: "alice", display_name: "Alice", auth_method: "local" };
const bob = { id: "bob", display_name: "Bob", auth_method: "local" };
const error = (code: number) => ({ error_code: code, message: expect.any(String) });

let clients = 0;

/** Fresh clients per test: a trusted one that wrote a prompt (frontend id fm-1) and an untrusted one. */
async function setup() {
  clients++;
  await createKey(t.db, `trusted-${clients}`, { trusted: true });
  await createKey(t.db, `other-${clients}`);
  const trusted = restClient(t.db, { key: `trusted-${clients}` });
  const other = restClient(t.db, { key: `other-${clients}` });
  const task = ZTaskJson.parse((await trusted.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: alice, lang: "en" })).body);
  await trusted.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "ack-1" });
  await trusted.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: alice, message_id: "ack-1", user_message_id: "fm-1", text: "What is a B-tree?" });
  const message = ZMessageJson.parse((await trusted.backend("GET", "/api/v1/frontend_messages/fm-1")).body);
  return { trusted, other, id: message.id };
}

describe("REST contract: messages", () => {
  it("reads a message by id and by frontend id, with the original's shapes and error bodies", async () => {
    const { trusted, other, id } = await setup();
    const message = await trusted.backend("GET", `/api/v1/messages/${id}`);
    expect(message.status).toBe(200);
    expect(ZMessageJson.parse(message.body)).toMatchObject({ id, frontend_message_id: "fm-1", text: "What is a B-tree?", is_assistant: false, parent_id: null });
    expect((message.body as { user_id: string | null }).user_id).not.toBeNull(); // trusted clients see authors

    const seenByOther = await other.backend("GET", `/api/v1/messages/${id}`);
    expect(seenByOther.status).toBe(200);
    expect(seenByOther.body).toMatchObject({ frontend_message_id: null, user_id: null });
    expect(await other.backend("GET", "/api/v1/frontend_messages/fm-1")).toMatchObject({ status: 404, body: error(2001) });
    expect(await trusted.backend("GET", `/api/v1/messages/${crypto.randomUUID()}`)).toMatchObject({ status: 404, body: error(2001) });
    expect((await trusted.backend("GET", "/api/v1/messages/not-a-uuid")).status).toBe(422);

    const conversation = await trusted.backend("GET", "/api/v1/frontend_messages/fm-1/conversation");
    expect(z.object({ messages: z.array(ZMessageJson) }).parse(conversation.body).messages.map((m) => m.id)).toEqual([id]);
    const tree = await trusted.backend("GET", `/api/v1/messages/${id}/tree`);
    expect(tree.body).toMatchObject({ id, messages: [expect.objectContaining({ id })] });
    expect((await trusted.backend("GET", `/api/v1/messages/${id}/children`)).body).toEqual([]);
    expect((await trusted.backend("GET", `/api/v1/frontend_messages/fm-1/descendants`)).body).toMatchObject({ id, messages: [expect.objectContaining({ id })] });
    expect((await trusted.backend("GET", `/api/v1/messages/${id}/tree/state`)).body).toMatchObject({ message_tree_id: id, state: "initial_prompt_review", active: true, lang: "en" });
  });

  it("reacts with emojis for a named user; unknown emojis are refused (5000)", async () => {
    const { trusted, id } = await setup();
    const reacted = await trusted.backend("POST", `/api/v1/messages/${id}/emoji`, { user: bob, op: "add", emoji: "+1" });
    expect(reacted.status).toBe(202);
    expect(ZMessageJson.parse(reacted.body)).toMatchObject({ emojis: { "+1": 1 } });
    expect(await trusted.backend("POST", `/api/v1/messages/${id}/emoji`, { user: bob, op: "add", emoji: "bogus" })).toMatchObject({ status: 400, body: error(5000) });
  });

  it("lets only trusted clients halt, delete and undelete (the original let any key undelete)", async () => {
    const { trusted, other, id } = await setup();
    expect(await other.backend("PUT", `/api/v1/messages/${id}/tree/state?halt=true`)).toMatchObject({ status: 403, body: error(2) });
    expect(await other.backend("DELETE", `/api/v1/messages/${id}`)).toMatchObject({ status: 403, body: error(2) });
    expect(await other.backend("PUT", `/api/v1/messages/${id}/undelete`)).toMatchObject({ status: 403, body: error(2) });
    expect((await trusted.backend("PUT", `/api/v1/messages/${id}/tree/state?halt=true`)).body).toMatchObject({ state: "halted_by_moderator", active: false });
    expect((await trusted.backend("PUT", `/api/v1/messages/${id}/tree/state?halt=false`)).body).toMatchObject({ active: true });
    expect((await trusted.backend("DELETE", `/api/v1/messages/${id}`)).status).toBe(204);
    expect((await other.backend("GET", `/api/v1/messages/${id}`)).status).toBe(404);
    expect((await trusted.backend("GET", `/api/v1/messages/${id}`)).body).toMatchObject({ deleted: true });
    // 202 Accepted with a null body, as the original answered.
    expect(await trusted.backend("PUT", `/api/v1/messages/${id}/undelete`)).toMatchObject({ status: 202, body: null });
    expect((await other.backend("GET", `/api/v1/messages/${id}`)).status).toBe(200);
  });
});

describe("REST contract: users, labels, boards, stats, routing", () => {
  it("creates and reads frontend users, scoped to the client; trusted clients manage them", async () => {
    const { trusted, other } = await setup();
    const created = await other.backend("POST", "/api/v1/frontend_users/", { id: "carol", display_name: "Carol", auth_method: "discord" });
    expect(created.status).toBe(200);
    const carol = ZFrontEndUserJson.parse(created.body);
    expect(carol).toMatchObject({ id: "carol", display_name: "Carol", auth_method: "discord", enabled: true });
    expect((await other.backend("GET", "/api/v1/frontend_users/discord/carol")).body).toMatchObject({ user_id: carol.user_id });
    expect(await other.backend("GET", "/api/v1/frontend_users/discord/nobody")).toMatchObject({ status: 404, body: error(4002) });
    expect(await other.backend("POST", "/api/v1/frontend_users/", { id: "carol", display_name: "Carol", auth_method: "discord", enabled: false })).toMatchObject({ status: 403, body: error(2) });
    expect((await other.backend("GET", `/api/v1/users/${carol.user_id}`)).status).toBe(200);

    const aliceRow = ZFrontEndUserJson.parse((await trusted.backend("GET", "/api/v1/frontend_users/local/alice")).body);
    expect(await other.backend("GET", `/api/v1/users/${aliceRow.user_id}`)).toMatchObject({ status: 404, body: error(4002) });
    expect((await trusted.backend("GET", `/api/v1/users/${aliceRow.user_id}/messages`)).body).toEqual([expect.objectContaining({ frontend_message_id: "fm-1" })]);
    expect((await trusted.backend("GET", "/api/v1/frontend_users/local/alice/messages")).body).toHaveLength(1);

    expect(await other.backend("PUT", `/api/v1/users/${aliceRow.user_id}?enabled=false`)).toMatchObject({ status: 403, body: error(2) });
    expect((await trusted.backend("PUT", `/api/v1/users/${aliceRow.user_id}?enabled=false&display_name=Alice%20B`)).status).toBe(204);
    expect((await trusted.backend("GET", `/api/v1/users/${aliceRow.user_id}`)).body).toMatchObject({ enabled: false, display_name: "Alice B" });
    expect(await trusted.backend("POST", "/api/v1/tasks", { type: "random", user: alice, lang: "en" })).toMatchObject({ status: 503, body: error(4001) });
    expect((await trusted.backend("DELETE", `/api/v1/users/${carol.user_id}`)).status).toBe(204);
    expect((await trusted.backend("GET", `/api/v1/users/${carol.user_id}`)).body).toMatchObject({ deleted: true, display_name: "Deleted User" });
  });

  it("labels and reports freely, and lists the label sets", async () => {
    const { trusted, other, id } = await setup();
    expect((await other.backend("POST", "/api/v1/text_labels/", { user: bob, message_id: id, labels: { quality: 0.5 }, text: "" })).status).toBe(204);
    expect((await other.backend("POST", "/api/v1/text_labels/", { user: bob, message_id: id, labels: { spam: 1 }, text: "advert", is_report: true })).status).toBe(204);
    expect(await other.backend("POST", "/api/v1/text_labels/", { user: bob, message_id: id, labels: { made_up: 1 } })).toMatchObject({ status: 400, body: error(2051) });
    expect((await other.backend("POST", "/api/v1/text_labels/", { user: bob, message_id: id, labels: { quality: 2 } })).status).toBe(422);
    const valid = await other.backend("GET", `/api/v1/text_labels/valid_labels?message_id=${id}`);
    expect(valid.body).toMatchObject({ valid_labels: expect.arrayContaining([expect.objectContaining({ name: "spam", widget: "yes_no", display_text: expect.any(String) })]), mandatory_labels: ["spam"] });
    expect((await other.backend("GET", "/api/v1/text_labels/valid_labels")).body).toMatchObject({ valid_labels: expect.not.arrayContaining([expect.objectContaining({ name: "fails_task" })]) });
    const reports = await restClient(t.db).backend("GET", "/api/v1/text_labels/report_labels");
    expect((reports.body as { valid_labels: { name: string }[] }).valid_labels.map((l) => l.name)).toEqual(["spam", "not_appropriate", "pii", "hate_speech", "sexual_content", "moral_judgement", "political_content", "toxicity", "violence", "quality"]);
    expect((await trusted.backend("GET", `/api/v1/messages/${id}`)).body).toMatchObject({ emojis: { red_flag: 1 } });
  });

  it("serves boards and stats, and answers unknown paths and methods", async () => {
    const { trusted, other } = await setup();
    // Points are live: the prompts written in setup() (one Alice per API client) are on the day board at once.
    expect((await other.backend("GET", "/api/v1/leaderboards/day?max_count=5")).body).toMatchObject({
      time_frame: "day",
      leaderboard: expect.arrayContaining([expect.objectContaining({ display_name: "Alice", prompts: 1 })]),
    });
    expect((await other.backend("GET", "/api/v1/leaderboards/year")).status).toBe(422);
    expect(await other.backend("GET", "/api/v1/trollboards/week")).toMatchObject({ status: 403, body: error(2) });
    // The disabled users' board: only accounts disabled earlier in this file, live like every board.
    const disabled = (await trusted.backend("GET", "/api/v1/trollboards/week?enabled=false")).body as { time_frame: string; trollboard: { enabled: boolean }[] };
    expect(disabled.time_frame).toBe("week");
    expect(disabled.trollboard.every((row) => !row.enabled)).toBe(true);
    expect((await other.backend("GET", "/api/v1/stats/cached")).body).toMatchObject({ stats_by_name: expect.any(Object) });
    const document = await restClient(t.db).backend("GET", "/api/v1/openapi.json");
    expect(document).toMatchObject({ status: 200, body: { openapi: "3.1.0", paths: expect.objectContaining({ "/api/v1/tasks": expect.any(Object) }) } });
    expect((await other.backend("GET", "/api/v1/nothing/here")).status).toBe(404);
    const wrongMethod = await other.backend("DELETE", "/api/v1/tasks/availability");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(await restClient(t.db, { key: "wrong" }).backend("GET", "/api/v1/stats/cached")).toMatchObject({ status: 403, body: error(2) });
  });
});
