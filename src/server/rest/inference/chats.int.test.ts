import { describe, expect, it } from "vitest";
import { appendChunk, claimJob, finishJob } from "@/server/domain/chat/queue";
import { registerWorker } from "@/server/domain/chat/workers";
import { setupTestDatabase } from "@/test/database";
import { createKey, restClient } from "../test-client.test-helper";

const t = setupTestDatabase();

/** The `data:` payloads of an SSE body. */
async function events(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

describe("the product's second example, replayed", () => {
  it("creates a chat, posts a message and streams: with no worker for distilgpt2 it says so at once", async () => {
    await createKey(t.db, "0000");
    const api = restClient(t.db, { key: "0000" });
    const chat = await api.inference("POST", "/chats", {});
    expect(chat.status).toBe(200);
    const chatId = (chat.body as { id: string }).id;
    const message = await api.inference("POST", `/chats/${chatId}/messages`, { parent_id: null, content: "解释一下快速排序算法", model_config_name: "distilgpt2" });
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ role: "assistant", state: "pending", chat_id: chatId });
    const id = (message.body as { id: string }).id;

    const stream = await api.inference("POST", `/chats/${chatId}/messages/${id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const received = await events(stream.response);
    expect(received).toEqual([expect.objectContaining({ event_type: "error", reason: "no_worker", message: expect.objectContaining({ id, state: "cancelled" }) })]);
    expect(String(received[0]!.error)).toContain("distilgpt2");

    // The withdrawn reply does not hold a place in the user's queue: asking again works, and has finished → 204.
    const again = await api.inference("GET", `/chats/${chatId}/messages/${id}/events`);
    expect(again.status).toBe(204);
  });

  it("streams tokens and the final message when a worker serves the model", async () => {
    const api = restClient(t.db, { key: "0000", headers: { "x-oasst-user": "local:streamer" } });
    const workerId = await registerWorker(t.db, { name: "w", engine: "test", models: ["_lorem"], hostname: "here" });
    const chatId = ((await api.inference("POST", "/chats", {})).body as { id: string }).id;
    const prompt = await api.inference("POST", `/chats/${chatId}/prompter_message`, { parent_id: null, content: "Hello" });
    expect(prompt.body).toMatchObject({ role: "prompter", state: "manual" });
    const reply = await api.inference("POST", `/chats/${chatId}/assistant_message`, { parent_id: (prompt.body as { id: string }).id, model_config_name: "_lorem", sampling_parameters: { temperature: 0.5 } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ state: "pending", work_parameters: { model_config_name: "_lorem", sampling_parameters: { temperature: 0.5 } } });
    const replyId = (reply.body as { id: string }).id;

    const stream = await api.inference("GET", `/chats/${chatId}/messages/${replyId}/events`);
    const job = await claimJob(t.db, { workerId, models: ["_lorem"], leaseMs: 10_000 });
    await appendChunk(t.db, job!, 1, "Hi");
    await appendChunk(t.db, job!, 2, " there");
    await finishJob(t.db, job!, { content: "Hi there", stopped: false });
    const received = await events(stream.response);
    expect(received.filter((e) => e.event_type === "token").map((e) => e.text).join("")).toBe("Hi there");
    expect(received.at(-1)).toMatchObject({ event_type: "message", message: { id: replyId, state: "complete", content: "Hi there" } });

    const read = await api.inference("GET", `/chats/${chatId}/messages/${replyId}`);
    expect(read.body).toMatchObject({ content: "Hi there", parent_id: (prompt.body as { id: string }).id });
    expect((await api.inference("POST", `/chats/${chatId}/messages/${replyId}/votes`, { score: 1 })).status).toBe(200);
    expect((await api.inference("POST", `/chats/${chatId}/messages/${replyId}/votes`, { score: 2 })).status).toBe(422);
    expect((await api.inference("POST", `/chats/${chatId}/messages/${replyId}/message_evals`, { inferior_message_ids: [] })).status).toBe(200);
    expect((await api.inference("POST", `/chats/${crypto.randomUUID()}/messages/${replyId}/votes`, { score: 1 })).status).toBe(404);
    expect((await api.inference("POST", `/chats/${chatId}/messages/${replyId}/reports`, { report_type: "feedback", reason: "nice" })).status).toBe(200);
    const full = await api.inference("GET", `/chats/${chatId}`);
    expect(full.body).toMatchObject({ id: chatId, title: "Hello", messages: [{ role: "prompter" }, { role: "assistant", score: 1, reports: [{ report_type: "feedback", reason: "nice" }] }] });
  });

  it("keeps users' chats apart, answers the original's errors and lists with cursors", async () => {
    const alice = restClient(t.db, { key: "0000", headers: { "x-oasst-user": "local:alice" } });
    const bob = restClient(t.db, { key: "0000", headers: { "x-oasst-user": "local:bob" } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await alice.inference("POST", "/chats", {})).body as { id: string }).id);
    const hidden = await bob.inference("GET", `/chats/${ids[0]}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ detail: expect.stringContaining("not found") });

    const first = await alice.inference("GET", "/chats?limit=2");
    const page = first.body as { chats: { id: string }[]; next: string | null };
    expect(page.chats).toHaveLength(2);
    const second = await alice.inference("GET", `/chats?limit=2&after=${encodeURIComponent(page.next!)}`);
    expect([...page.chats, ...(second.body as { chats: { id: string }[] }).chats].map((c) => c.id).sort()).toEqual([...ids].sort());

    const unknownModel = await alice.inference("POST", `/chats/${ids[0]}/messages`, { parent_id: null, content: "x", model_config_name: "no-such-model" });
    expect(unknownModel.status).toBe(422);
    const empty = await alice.inference("POST", `/chats/${ids[0]}/prompter_message`, { parent_id: null, content: "   " });
    expect(empty.status).toBe(422);
    const noKey = await restClient(t.db).inference("POST", "/chats", {});
    expect(noKey.status).toBe(403);
    expect((await alice.inference("PUT", `/chats/${ids[1]}`, { title: "Renamed", hidden: true })).status).toBe(200);
    expect((await alice.inference("GET", "/chats?include_hidden=true")).body).toMatchObject({ chats: expect.arrayContaining([expect.objectContaining({ title: "Renamed", hidden: true })]) });
    expect((await alice.inference("DELETE", `/chats/${ids[2]}`)).status).toBe(200);
    expect((await alice.inference("GET", `/chats/${ids[2]}`)).status).toBe(404);
  });

  it("pages chats both ways: after (older) and before (newer), never both", async () => {
    const api = restClient(t.db, { key: "0000", headers: { "x-oasst-user": "local:pager" } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(((await api.inference("POST", "/chats", {})).body as { id: string }).id);
    type Page = { chats: { id: string }[]; next: string | null; prev: string | null };
    const newestFirst = [...ids].reverse();
    const first = (await api.inference("GET", "/chats?limit=2")).body as Page;
    expect(first.chats.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.prev).toBeNull();
    const second = (await api.inference("GET", `/chats?limit=2&after=${encodeURIComponent(first.next!)}`)).body as Page;
    expect(second.chats.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    const third = (await api.inference("GET", `/chats?limit=2&after=${encodeURIComponent(second.next!)}`)).body as Page;
    expect(third.chats.map((c) => c.id)).toEqual(newestFirst.slice(4));
    expect(third.next).toBeNull();
    // Back from the last page: the two chats before it, still newest first, and a prev to keep going.
    const back = await api.inference("GET", `/chats?limit=2&before=${encodeURIComponent(third.prev!)}`);
    expect(back.status).toBe(200);
    expect((back.body as Page).chats.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    const front = (await api.inference("GET", `/chats?limit=2&before=${encodeURIComponent((back.body as Page).prev!)}`)).body as Page;
    expect(front.chats.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));
    expect(front.prev).toBeNull();
    const both = await api.inference("GET", `/chats?after=${encodeURIComponent(first.next!)}&before=${encodeURIComponent(first.next!)}`);
    expect(both).toMatchObject({ status: 400, body: { error_code: 101, message: expect.any(String) } });
    expect(await api.inference("GET", "/chats?before=garbage")).toMatchObject({ status: 400, body: { error_code: 101 } });
  });

  it("lists the model configs without a key", async () => {
    const configs = await restClient(t.db).inference("GET", "/configs/model_configs");
    expect(configs.status).toBe(200);
    expect(configs.body).toEqual(expect.arrayContaining([expect.objectContaining({ name: "distilgpt2", parameter_configs: expect.arrayContaining([expect.objectContaining({ name: "k50" })]) })]));
  });
});
