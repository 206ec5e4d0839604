import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { messages } from "@/server/db/schema";
import { insertTestMessage, insertTestTree, type TestMessage } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { createKey, restClient } from "../test-client.test-helper";
import { ZMessageJson } from "./message-json";
import { ZMessagePageJson } from "./message-pages";
import { ZFrontEndUserJson } from "./user-json";

const t = setupTestDatabase();
const error = (code: number) => ({ error_code: code, message: expect.any(String) });
type Page = z.infer<typeof ZMessagePageJson>;

let clients = 0;

/**
 * A bot's key (untrusted) with three users and one tree written through it, a second bot's key, and a trusted key:
 *   root (cara) ─ a1 (abe) ─ p1 (cara) ─ a3 (abe)
 *              ├ a2 (bo)
 *              └ spam (cara, rejected)
 */
async function setup() {
  clients++;
  const bot = await createKey(t.db, `bot-${clients}`);
  await createKey(t.db, `other-${clients}`);
  await createKey(t.db, `trusted-${clients}`, { trusted: true });
  const api = restClient(t.db, { key: `bot-${clients}` });
  const other = restClient(t.db, { key: `other-${clients}` });
  const trusted = restClient(t.db, { key: `trusted-${clients}` });
  const user = async (id: string, name: string) =>
    ZFrontEndUserJson.parse((await api.backend("POST", "/api/v1/frontend_users/", { id, display_name: name, auth_method: "discord" })).body);
  const cara = await user("cara", "Cara");
  const abe = await user("abe", "Abe");
  const bo = await user("bo", "Bo");
  const base = Date.now() - 3_600_000;
  let n = 0;
  const at = () => new Date(base + ++n * 1000);
  const root = await insertTestTree(t.db, { userId: cara.user_id, state: "growing" });
  await t.db.update(messages).set({ createdDate: at() }).where(eq(messages.id, root.id));
  const add = (parent: TestMessage, userId: string, extra: { reviewResult?: boolean } = {}) => insertTestMessage(t.db, { parent, userId, createdDate: at(), ...extra });
  const a1 = await add(root, abe.user_id);
  const a2 = await add(root, bo.user_id);
  const p1 = await add(a1, cara.user_id);
  const a3 = await add(p1, abe.user_id);
  const spam = await add(root, cara.user_id, { reviewResult: false });
  const all = [root, a1, a2, p1, a3, spam];
  for (const [i, m] of all.entries()) await t.db.update(messages).set({ apiClientId: bot.id, frontendMessageId: `f${i}` }).where(eq(messages.id, m.id));
  return { bot, api, other, trusted, cara, abe, bo, root, a1, a2, p1, a3, spam };
}

const ids = (body: unknown) => (body as { id: string }[]).map((m) => m.id);

describe("REST contract: message lists", () => {
  it("lists a key's messages with the original's filters and refuses foreign clients (2) and half identities (2012)", async () => {
    const s = await setup();
    const newest = await s.api.backend("GET", "/api/v1/messages/?max_count=3");
    expect(newest.status).toBe(200);
    z.array(ZMessageJson).parse(newest.body);
    // Newest first; the rejected reply is not listed for a key that is not trusted.
    expect(ids(newest.body)).toEqual([s.a3.id, s.p1.id, s.a2.id]);
    expect(ids((await s.api.backend("GET", "/api/v1/messages?desc=false&max_count=2")).body)).toEqual([s.root.id, s.a1.id]);
    expect(ids((await s.api.backend("GET", "/api/v1/messages/?only_roots=true")).body)).toEqual([s.root.id]);
    expect(ids((await s.api.backend("GET", "/api/v1/messages/?auth_method=discord&username=abe")).body)).toEqual([s.a3.id, s.a1.id]);
    const since = encodeURIComponent(s.p1.createdDate.toISOString());
    expect(ids((await s.api.backend("GET", `/api/v1/messages/?start_date=${since}&desc=false`)).body)).toEqual([s.p1.id, s.a3.id]);
    // Another client's messages are not listed to it, and asking for them by id is a 403.
    expect((await s.other.backend("GET", "/api/v1/messages/")).body).toEqual([]);
    expect(await s.other.backend("GET", `/api/v1/messages/?api_client_id=${s.bot.id}`)).toMatchObject({ status: 403, body: error(2) });
    expect(await s.api.backend("GET", "/api/v1/messages/?username=abe")).toMatchObject({ status: 400, body: error(2012) });
    expect((await s.api.backend("GET", "/api/v1/messages/?max_count=0")).status).toBe(422);
    // Trusted keys list any client's messages, the rejected one included.
    expect(ids((await s.trusted.backend("GET", `/api/v1/messages/?api_client_id=${s.bot.id}&max_count=1`)).body)).toEqual([s.spam.id]);
  });

  it("pages with after and before in both orders, with the original's prev/next and cursor errors (101)", async () => {
    const s = await setup();
    const visible = [s.root.id, s.a1.id, s.a2.id, s.p1.id, s.a3.id];
    const first = await s.api.backend("GET", "/api/v1/messages/cursor?max_count=2");
    expect(first.status).toBe(200);
    const p1 = ZMessagePageJson.parse(first.body);
    expect(p1).toMatchObject({ sort_key: "created_date", order: "asc", prev: null });
    expect(p1.items.map((m) => m.id)).toEqual(visible.slice(0, 2));
    const p2 = (await s.api.backend("GET", `/api/v1/messages/cursor?max_count=2&after=${encodeURIComponent(p1.next!)}`)).body as Page;
    expect(p2.items.map((m) => m.id)).toEqual(visible.slice(2, 4));
    const p3 = (await s.api.backend("GET", `/api/v1/messages/cursor?max_count=2&after=${encodeURIComponent(p2.next!)}`)).body as Page;
    expect(p3.items.map((m) => m.id)).toEqual(visible.slice(4));
    expect(p3.next).toBeNull();
    const back = (await s.api.backend("GET", `/api/v1/messages/cursor?max_count=2&before=${encodeURIComponent(p3.prev!)}`)).body as Page;
    expect(back.items.map((m) => m.id)).toEqual(visible.slice(2, 4));
    const start = (await s.api.backend("GET", `/api/v1/messages/cursor?max_count=2&before=${encodeURIComponent(back.prev!)}`)).body as Page;
    expect(start.items.map((m) => m.id)).toEqual(visible.slice(0, 2));
    expect(start.prev).toBeNull();

    const newest = (await s.api.backend("GET", "/api/v1/messages/cursor?max_count=3&desc=true&include_user=true")).body as Page;
    expect(newest).toMatchObject({ order: "desc", items: [{ id: s.a3.id, user: { id: "abe", display_name: "Abe" } }, { id: s.p1.id }, { id: s.a2.id }] });
    const older = (await s.api.backend("GET", `/api/v1/messages/cursor?max_count=3&desc=true&after=${encodeURIComponent(newest.next!)}`)).body as Page;
    expect(older.items.map((m) => m.id)).toEqual([s.a1.id, s.root.id]);
    // A bare date is an inclusive bound; a cursor that is neither is refused.
    const fromDate = (await s.api.backend("GET", `/api/v1/messages/cursor?after=${encodeURIComponent(s.p1.createdDate.toISOString())}`)).body as Page;
    expect(fromDate.items.map((m) => m.id)).toEqual([s.p1.id, s.a3.id]);
    expect(await s.api.backend("GET", "/api/v1/messages/cursor?after=yesterday")).toMatchObject({ status: 400, body: error(101) });

    const mine = await s.api.backend("GET", `/api/v1/users/${s.abe.user_id}/messages/cursor?desc=true`);
    expect((mine.body as Page).items.map((m) => m.id)).toEqual([s.a3.id, s.a1.id]);
    expect(((await s.api.backend("GET", "/api/v1/frontend_users/discord/cara/messages/cursor")).body as Page).items.map((m) => m.id)).toEqual([s.root.id, s.p1.id]);
    expect(ids((await s.api.backend("GET", "/api/v1/frontend_users/discord/cara/messages?desc=false")).body)).toEqual([s.root.id, s.p1.id]);
    expect(await s.other.backend("GET", `/api/v1/users/${s.abe.user_id}/messages/cursor`)).toMatchObject({ status: 404, body: error(4002) });
  });
});

describe("REST contract: tree shapes, edits and history", () => {
  it("finds the longest conversation and the message with most replies, by id and by frontend id", async () => {
    const s = await setup();
    const longest = await s.api.backend("GET", `/api/v1/messages/${s.a2.id}/longest_conversation_in_tree`);
    expect(longest.status).toBe(200);
    expect((longest.body as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([s.root.id, s.a1.id, s.p1.id, s.a3.id]);
    const most = await s.api.backend("GET", "/api/v1/frontend_messages/f3/max_children_in_tree");
    // The rejected reply is not counted for an untrusted key: root has two visible replies.
    expect(most.body).toMatchObject({ id: s.root.id, messages: [{ id: s.root.id }, { id: s.a1.id }, { id: s.a2.id }] });
    expect(((await s.trusted.backend("GET", `/api/v1/messages/${s.root.id}/max_children_in_tree`)).body as { messages: unknown[] }).messages).toHaveLength(4);
    expect(await s.api.backend("GET", `/api/v1/messages/${crypto.randomUUID()}/longest_conversation_in_tree`)).toMatchObject({ status: 404, body: error(2001) });
    expect(await s.other.backend("GET", "/api/v1/frontend_messages/f3/max_children_in_tree")).toMatchObject({ status: 404, body: error(2001) });
  });

  it("edits as a named user for trusted keys only, keeps the history and checks the text like a new message", async () => {
    const s = await setup();
    const editor = { id: "mod", display_name: "Mod", auth_method: "discord" };
    expect(await s.api.backend("POST", `/api/v1/messages/${s.a1.id}/edit`, { user: editor, new_content: "x" })).toMatchObject({ status: 403, body: error(2) });
    const edited = await s.trusted.backend("POST", `/api/v1/messages/${s.a1.id}/edit`, { user: editor, new_content: "A better answer." });
    expect(edited).toMatchObject({ status: 200, body: null });
    expect((await s.api.backend("GET", `/api/v1/messages/${s.a1.id}`)).body).toMatchObject({ text: "A better answer.", edited: true });
    const history = await s.trusted.backend("GET", `/api/v1/messages/${s.a1.id}/history`, undefined, { "x-oasst-user": "discord:mod" });
    expect(history.status).toBe(200);
    expect(history.body).toEqual([
      expect.objectContaining({ message_id: s.a1.id, text: s.a1.text, user_id: s.abe.user_id, user_is_author: false }),
      expect.objectContaining({ message_id: s.a1.id, text: "A better answer.", user_is_author: true }),
    ]);
    expect(await s.api.backend("GET", `/api/v1/messages/${s.a1.id}/history`)).toMatchObject({ status: 403, body: error(2) });
    // The original skipped the size check on edits; here an edit obeys the limits of a new message.
    expect(await s.trusted.backend("POST", `/api/v1/messages/${s.a1.id}/edit`, { user: editor, new_content: "   " })).toMatchObject({ status: 400, body: error(1010) });
    expect(await s.trusted.backend("POST", `/api/v1/messages/${s.a1.id}/edit`, { user: editor, new_content: "y".repeat(200_000) })).toMatchObject({ status: 400, body: error(1008) });
    expect(await s.trusted.backend("POST", `/api/v1/messages/${crypto.randomUUID()}/edit`, { user: editor, new_content: "z" })).toMatchObject({ status: 404, body: error(2001) });
    expect((await s.trusted.backend("POST", `/api/v1/messages/${s.a1.id}/edit`, { new_content: "z" })).status).toBe(422);
  });
});

describe("REST contract: user lists and stats", () => {
  it("lists a key's users by user name and display name with keyset bounds and cursor pages", async () => {
    const s = await setup();
    const byName = await s.api.backend("GET", "/api/v1/users/by_username");
    expect(byName.status).toBe(200);
    expect(z.array(ZFrontEndUserJson).parse(byName.body).map((u) => u.id)).toEqual(["abe", "bo", "cara"]);
    expect(((await s.api.backend("GET", "/api/v1/users/by_display_name?desc=true")).body as { display_name: string }[]).map((u) => u.display_name)).toEqual(["Cara", "Bo", "Abe"]);
    expect(((await s.api.backend("GET", `/api/v1/users/by_username?gte_username=bo&gt_id=${s.bo.user_id}`)).body as { id: string }[]).map((u) => u.id)).toEqual(["cara"]);
    expect(((await s.api.backend("GET", "/api/v1/users/by_username?search_text=a")).body as { id: string }[]).map((u) => u.id)).toEqual(["abe", "cara"]);
    expect(((await s.api.backend("GET", "/api/v1/frontend_users/?max_count=1")).body as { id: string }[]).map((u) => u.id)).toEqual(["abe"]);
    expect((await s.other.backend("GET", "/api/v1/users/by_username")).body).toEqual([]);
    expect(await s.other.backend("GET", `/api/v1/users/by_username?api_client_id=${s.bot.id}`)).toMatchObject({ status: 403, body: error(2) });
    expect(await s.api.backend("GET", `/api/v1/users/by_username?gt_id=${s.bo.user_id}`)).toMatchObject({ status: 400, body: error(101) });

    type UserPage = { prev: string | null; next: string | null; sort_key: string; order: string; items: { id: string }[] };
    const first = (await s.api.backend("GET", "/api/v1/users/cursor?max_count=2")).body as UserPage;
    expect(first).toMatchObject({ sort_key: "username", order: "asc", prev: null, items: [{ id: "abe" }, { id: "bo" }] });
    const second = (await s.api.backend("GET", `/api/v1/users/cursor?max_count=2&after=${encodeURIComponent(first.next!)}`)).body as UserPage;
    expect(second.items.map((u) => u.id)).toEqual(["cara"]);
    expect(second.next).toBeNull();
    const back = (await s.api.backend("GET", `/api/v1/users/cursor?max_count=2&before=${encodeURIComponent(second.prev!)}`)).body as UserPage;
    expect(back.items.map((u) => u.id)).toEqual(["abe", "bo"]);
    const byDisplay = (await s.api.backend("GET", "/api/v1/users/cursor?sort_key=display_name&max_count=1")).body as { items: { display_name: string }[] };
    expect(byDisplay.items.map((u) => u.display_name)).toEqual(["Abe"]);
    expect(await s.api.backend("GET", "/api/v1/users/cursor?sort_key=email")).toMatchObject({ status: 400, body: error(100) });
  });

  it("answers a user's scores in every frame, zero where inactive (the original's 500), and the window around them", async () => {
    const s = await setup();
    const alice = { id: "alice", display_name: "Alice", auth_method: "local" };
    const task = (await s.api.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: alice, lang: "en" })).body as { id: string };
    await s.api.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "alice-1" });
    await s.api.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: alice, message_id: "alice-1", text: "How do tides work?", lang: "en" });
    const aliceRow = ZFrontEndUserJson.parse((await s.api.backend("GET", "/api/v1/frontend_users/local/alice")).body);

    const stats = await s.api.backend("GET", `/api/v1/users/${aliceRow.user_id}/stats`);
    expect(stats.status).toBe(200);
    expect(Object.keys(stats.body as object).sort()).toEqual(["day", "month", "total", "week"]);
    expect((stats.body as Record<string, unknown>).day).toMatchObject({ user_id: aliceRow.user_id, username: "alice", auth_method: "local", prompts: 1, rank: expect.any(Number), level: expect.any(Number) });
    const dan = ZFrontEndUserJson.parse((await s.api.backend("POST", "/api/v1/frontend_users/", { id: "dan", display_name: "Dan", auth_method: "discord" })).body);
    const inactive = await s.api.backend("GET", `/api/v1/users/${dan.user_id}/stats/week`);
    expect(inactive).toMatchObject({ status: 200, body: { user_id: dan.user_id, username: "dan", leader_score: 0, prompts: 0, rank: null, reply_ranked_1: 0 } });
    expect(await s.api.backend("GET", `/api/v1/users/${s.abe.user_id}/stats/year`)).toMatchObject({ status: 422 });
    expect(await s.other.backend("GET", `/api/v1/users/${aliceRow.user_id}/stats`)).toMatchObject({ status: 404, body: error(4002) });

    const window = await s.api.backend("GET", `/api/v1/users/${aliceRow.user_id}/stats/day/window?window_size=3`);
    expect(window.status).toBe(200);
    const rows = (window.body as { leaderboard: { user_id: string; highlighted: boolean }[] }).leaderboard;
    expect(rows.length).toBeLessThanOrEqual(3);
    expect(rows).toContainEqual(expect.objectContaining({ user_id: aliceRow.user_id, highlighted: true }));
    expect(await s.api.backend("GET", `/api/v1/users/${dan.user_id}/stats/day/window`)).toMatchObject({ status: 200, body: null });

    const board = await s.api.backend("GET", "/api/v1/leaderboards/day?max_count=100", undefined, { "x-oasst-user": "local:alice" });
    expect((board.body as { leaderboard: unknown[] }).leaderboard).toContainEqual(expect.objectContaining({ user_id: aliceRow.user_id, highlighted: true, reply_ranked_1: 0 }));
  });

  it("deletes all of a user's messages for trusted keys", async () => {
    const s = await setup();
    expect(await s.api.backend("DELETE", `/api/v1/users/${s.abe.user_id}/messages`)).toMatchObject({ status: 403, body: error(2) });
    expect((await s.trusted.backend("DELETE", `/api/v1/users/${s.abe.user_id}/messages`)).status).toBe(204);
    // a1 went with its subtree (p1 by cara, a3 by abe).
    expect(ids((await s.api.backend("GET", "/api/v1/messages/?desc=false")).body)).toEqual([s.root.id, s.a2.id]);
    // By identity: the trusted key's own users (another key's "bo" is not found).
    const tess = { id: "tess", display_name: "Tess", auth_method: "discord" };
    const task = (await s.trusted.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: tess, lang: "en" })).body as { id: string };
    await s.trusted.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: "tess-1" });
    await s.trusted.backend("POST", "/api/v1/tasks/interaction", { type: "text_reply_to_message", user: tess, message_id: "tess-1", text: "Why is the sky blue?" });
    expect((await s.trusted.backend("GET", "/api/v1/frontend_users/discord/tess/messages")).body).toHaveLength(1);
    expect((await s.trusted.backend("DELETE", "/api/v1/frontend_users/discord/tess/messages")).status).toBe(204);
    expect((await s.trusted.backend("GET", "/api/v1/frontend_users/discord/tess/messages")).body).toEqual([]);
    expect(await s.trusted.backend("DELETE", "/api/v1/frontend_users/discord/bo/messages")).toMatchObject({ status: 404, body: error(4002) });
    expect(await s.trusted.backend("DELETE", "/api/v1/frontend_users/discord/nobody/messages")).toMatchObject({ status: 404, body: error(4002) });
  });
});

describe("REST contract: statistics", () => {
  it("serves the tree manager's figures and totals to trusted keys, and the cached statistics by name", async () => {
    const s = await setup();
    expect(await s.api.backend("GET", "/api/v1/stats/tree_manager")).toMatchObject({ status: 403, body: error(2) });
    const totals = await s.trusted.backend("GET", "/api/v1/stats/");
    expect(totals).toMatchObject({ status: 200, body: { all: expect.any(Number), active: expect.any(Number), active_by_lang: expect.objectContaining({ en: expect.any(Number) }), deleted: expect.any(Number), message_trees: expect.any(Number) } });
    const counts = (await s.trusted.backend("GET", "/api/v1/stats/tree_manager/state_counts")).body as Record<string, number>;
    expect(counts.growing).toBeGreaterThanOrEqual(1);
    const sizes = (await s.trusted.backend("GET", "/api/v1/stats/tree_manager/message_counts")).body as { message_tree_id: string }[];
    expect(sizes).toContainEqual(expect.objectContaining({ message_tree_id: s.root.id, state: "growing", depth: 3, count: 6, goal_tree_size: 12, oldest: expect.any(String) }));
    const manager = (await s.trusted.backend("GET", "/api/v1/stats/tree_manager")).body as { state_counts: Record<string, number>; message_counts: unknown[] };
    expect(manager.state_counts).toEqual(counts);
    expect(manager.message_counts).toEqual(sizes);

    // Before the first computation a name answers 6000; after the trusted update it is there with its own date.
    expect(await s.api.backend("GET", "/api/v1/stats/cached/users_accepted_tos")).toMatchObject({ status: 400, body: error(6000) });
    expect((await s.api.backend("GET", "/api/v1/stats/cached/no_such_stat")).status).toBe(422);
    expect(await s.api.backend("POST", "/api/v1/stats/cached/update")).toMatchObject({ status: 403, body: error(2) });
    expect((await s.trusted.backend("POST", "/api/v1/stats/cached/update")).status).toBe(204);
    const one = await s.api.backend("GET", "/api/v1/stats/cached/message_trees_by_state");
    expect(one).toMatchObject({ status: 200, body: { name: "message_trees_by_state", last_updated: expect.any(String), stats: counts } });
    const all = (await s.api.backend("GET", "/api/v1/stats/cached")).body as { stats_by_name: Record<string, { name: string }> };
    expect(all.stats_by_name.human_messages_by_lang).toMatchObject({ name: "human_messages_by_lang" });
    expect((await s.trusted.backend("POST", "/api/v1/leaderboards/update/day")).status).toBe(204);
    expect(await s.api.backend("POST", "/api/v1/leaderboards/update")).toMatchObject({ status: 403, body: error(2) });
  });
});
