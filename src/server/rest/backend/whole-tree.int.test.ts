import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, messageTreeStates, tasks, textLabels } from "@/server/db/schema";
import { DEFAULT_TREE_MANAGER_CONFIG } from "@/server/domain/trees/config";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { createKey, restClient } from "../test-client.test-helper";
import type { TaskJson } from "./task-json";

const t = setupTestDatabase();
const cfg = DEFAULT_TREE_MANAGER_CONFIG;

/** Work that moves a tree forward first; initial prompts are never asked for again (one tree only). */
const PRIORITY = [
  "rank_assistant_replies", "rank_prompter_replies", "label_initial_prompt", "label_assistant_reply", "label_prompter_reply",
  "assistant_reply", "prompter_reply",
] as const;

describe("a whole tree through the REST API alone", () => {
  it("goes from a new prompt to ready_for_export with a dozen external users and the default configuration", { timeout: 600_000 }, async () => {
    expect(cfg.goalTreeSize).toBe(12);
    await createKey(t.db, "bot-key");
    const api = restClient(t.db, { key: "bot-key", treeDeps: testTreeDeps({}, 7) });
    const users = Array.from({ length: 12 }, (_, i) => ({ id: `discord-${1000 + i}`, display_name: `Bot user ${i}`, auth_method: "discord" }));
    let written = 0;
    let frontendId = 0;

    async function complete(user: (typeof users)[number], task: TaskJson) {
      const messageId = `fid-${++frontendId}`;
      const ack = await api.backend("POST", `/api/v1/tasks/${task.id}/ack`, { message_id: messageId });
      expect(ack.status).toBe(204);
      let body: Record<string, unknown>;
      switch (task.type) {
        case "initial_prompt":
        case "prompter_reply":
        case "assistant_reply":
          body = { type: "text_reply_to_message", user, message_id: messageId, user_message_id: `${messageId}-msg`, text: `${user.display_name} writes text number ${++written}.`, lang: "en" };
          break;
        case "label_initial_prompt":
        case "label_prompter_reply":
        case "label_assistant_reply":
          expect(task.labels.map((l) => l.name)).toEqual(task.valid_labels);
          body = { type: "text_labels", user, message_id: task.message_id, task_id: task.id, text: "", labels: Object.fromEntries(task.valid_labels.map((name) => [name, name === "quality" ? 0.75 : 0])) };
          break;
        case "rank_assistant_replies":
        case "rank_prompter_replies":
          expect(task.reply_messages.map((m) => m.text)).toEqual(task.replies);
          body = { type: "message_ranking", user, message_id: messageId, ranking: task.reply_messages.map((_, i) => i) };
          break;
      }
      const done = await api.backend("POST", "/api/v1/tasks/interaction", body);
      expect(done.body).toMatchObject({ type: "task_done" });
    }

    const first = await api.backend("POST", "/api/v1/tasks", { type: "initial_prompt", user: users[0], lang: "en" });
    await complete(users[0]!, first.body as TaskJson);
    const [root] = await t.db.select().from(messages);
    const treeId = root!.messageTreeId;
    const state = async () => (await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, treeId)))[0]!;

    let handedOut = 1;
    for (let round = 0; round < 60 && (await state()).state !== "ready_for_export"; round++) {
      for (const user of users) {
        const available = (await api.backend("POST", "/api/v1/tasks/availability?lang=en", user)).body as Record<string, number>;
        const type = PRIORITY.find((candidate) => (available[candidate] ?? 0) > 0);
        if (!type) continue;
        const task = await api.backend("POST", "/api/v1/tasks", { type, user, lang: "en" });
        if (task.status !== 200) {
          // Someone else took the last slot, or this user's per-type budget is spent for now.
          expect([429, 503]).toContain(task.status);
          continue;
        }
        handedOut++;
        await complete(user, task.body as TaskJson);
      }
    }

    // The tree's invariants.
    expect(await state()).toMatchObject({ state: "ready_for_export", active: false });
    const all = await t.db.select().from(messages).where(eq(messages.messageTreeId, treeId));
    const accepted = all.filter((m) => m.reviewResult === true && !m.deleted);
    expect(accepted.length).toBeGreaterThanOrEqual(cfg.goalTreeSize);
    const byId = new Map(all.map((m) => [m.id, m]));
    for (const message of all) {
      expect(message.depth).toBeLessThanOrEqual(cfg.maxTreeDepth);
      expect(message.reviewCount).toBeLessThanOrEqual(message.parentId ? cfg.numReviewsReply : cfg.numReviewsInitialPrompt);
      expect(message.lang).toBe("en");
      if (message.parentId) expect(byId.get(message.parentId)!.depth).toBe(message.depth - 1);
      const children = all.filter((c) => c.parentId === message.id);
      expect(children.length).toBeLessThanOrEqual(message.role === "prompter" ? cfg.maxChildrenCount : cfg.numPrompterReplies);
      expect(new Set(children.map((c) => c.userId)).size).toBe(children.length); // one reply per user and parent
      const ranked = children.filter((c) => c.reviewResult === true && c.role === "assistant");
      if (ranked.length >= 2) {
        for (const child of ranked) expect(child.rankingCount).toBeGreaterThanOrEqual(cfg.numRequiredRankings);
        expect(ranked.map((c) => c.rank).sort()).toEqual(ranked.map((_, i) => i));
      }
    }
    const labels = await t.db.select().from(textLabels);
    for (const label of labels) expect(byId.get(label.messageId!)?.userId).not.toBe(label.userId); // nobody reviewed their own message
    expect(new Set(labels.map((l) => `${l.userId}:${l.messageId}`)).size).toBe(labels.length); // one review per reviewer
    const open = await t.db.select().from(tasks).where(eq(tasks.done, false));
    expect(open.filter((task) => !task.skipped)).toEqual([]);
    expect(new Set(all.map((m) => m.userId)).size).toBeGreaterThan(1);
    expect(handedOut).toBeGreaterThan(cfg.goalTreeSize);
  });
});
