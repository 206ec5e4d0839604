import type { Database } from "@/server/db/client";
import { type EmojiCounts, messageReactions, messages, messageTreeStates, tasks, textLabels, type TreeState } from "@/server/db/schema";

/** Test support: writes rows directly, with explicit dates, so a test controls every counter of the leaderboards. */
export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

type MessageSeed = {
  userId: string | null;
  parentId?: string;
  treeId?: string;
  role?: "prompter" | "assistant";
  reviewResult?: boolean | null;
  rank?: number | null;
  createdDate?: Date;
  emojis?: EmojiCounts;
  lang?: string;
  text?: string;
  deleted?: boolean;
};

export async function seedMessage(db: Database, seed: MessageSeed): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(messages).values({
    id,
    parentId: seed.parentId ?? null,
    messageTreeId: seed.treeId ?? id,
    userId: seed.userId,
    role: seed.role ?? (seed.parentId ? "assistant" : "prompter"),
    frontendMessageId: id,
    text: seed.text ?? `message ${id}`,
    lang: seed.lang ?? "en",
    depth: seed.parentId ? 1 : 0,
    reviewResult: seed.reviewResult ?? null,
    rank: seed.rank ?? null,
    createdDate: seed.createdDate ?? hoursAgo(1),
    emojis: seed.emojis ?? {},
    deleted: seed.deleted ?? false,
  });
  return id;
}

export async function seedTree(db: Database, rootId: string, state: TreeState, lang = "en") {
  await db.insert(messageTreeStates).values({
    messageTreeId: rootId, goalTreeSize: 3, maxDepth: 3, maxChildrenCount: 3, state, lang,
    active: !["ready_for_export", "aborted_low_grade", "halted_by_moderator", "scoring_failed"].includes(state),
  });
}

/** A completed (or still open) label task of the given mode. */
export async function seedLabelTask(db: Database, userId: string, mode: "simple" | "full", createdDate: Date, done = true) {
  await db.insert(tasks).values({
    userId, type: "label_assistant_reply", done, createdDate,
    payload: { type: "label_assistant_reply", lang: "en", mode, messageId: crypto.randomUUID(), conversation: [], validLabels: [], mandatoryLabels: [], disposition: "quality" },
  });
}

/** A submitted ranking of `rankedMessageIds` (best first) under `parentId`. */
export async function seedRanking(db: Database, userId: string, parentId: string, rankedMessageIds: string[], createdDate: Date) {
  const [task] = await db
    .insert(tasks)
    .values({ userId, type: "rank_assistant_replies", done: true, createdDate, parentMessageId: parentId, payload: { type: "rank_assistant_replies" } })
    .returning();
  await db.insert(messageReactions).values({
    taskId: task!.id, userId, messageId: parentId, createdDate,
    payload: { type: "message_ranking", rankedMessageIds, rankingParentId: parentId, messageTreeId: parentId, notRankable: false },
  });
}

export async function seedLabels(db: Database, userId: string, messageId: string, labels: Record<string, number>) {
  await db.insert(textLabels).values({ userId, messageId, labels, taskId: crypto.randomUUID() });
}
