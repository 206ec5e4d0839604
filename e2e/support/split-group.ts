/**
 * e2e fixture, run in the e2e server's database through scripts/with-db.ts (see `seedSplitGroup`): a finished tree
 * whose three replies three rankers ordered three different ways, then the quality job, which queues the group as
 * `split_reviews`. Prints the prompt's id and text as JSON.
 */
import { connectDatabase } from "../../src/server/db/client";
import { messageReactions, messages, messageTreeStates, tasks, users } from "../../src/server/db/schema";
import { computeQuality } from "../../src/server/domain/quality/compute-quality";

const { db, close } = connectDatabase(process.env.DATABASE_URL!);
const tag = process.argv[2] ?? String(Date.now());
const prompt = crypto.randomUUID();
const text = `Split group ${tag}: which reply is best?`;
const replies = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
const rankers = await db.insert(users).values([1, 2, 3].map((i) => ({ name: `Ranker ${i} ${tag}` }))).returning();
// One reply per author under a parent (messages_one_reply_per_user_uq).
const [author, ...writers] = await db.insert(users).values([0, 1, 2, 3].map((i) => ({ name: `Author ${i} ${tag}` }))).returning();
await db.insert(messages).values([
  { id: prompt, messageTreeId: prompt, userId: author!.id, role: "prompter", frontendMessageId: prompt, text, lang: "en", depth: 0, reviewResult: true },
  ...replies.map((id, i) => ({
    id, parentId: prompt, messageTreeId: prompt, userId: writers[i]!.id, role: "assistant" as const, frontendMessageId: id, text: `Reply ${i + 1} ${tag}`, lang: "en", depth: 1, reviewResult: true,
  })),
]);
await db.insert(messageTreeStates).values({ messageTreeId: prompt, goalTreeSize: 4, maxDepth: 3, maxChildrenCount: 3, state: "ready_for_export", lang: "en", active: false });
const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0]];
for (const [i, order] of orders.entries()) {
  const [task] = await db.insert(tasks).values({ userId: rankers[i]!.id, type: "rank_assistant_replies", done: true, ack: true, parentMessageId: prompt, payload: { type: "rank_assistant_replies" } }).returning();
  await db.insert(messageReactions).values({
    taskId: task!.id, userId: rankers[i]!.id, messageId: prompt,
    payload: { type: "message_ranking", rankedMessageIds: order.map((k) => replies[k]!), rankingParentId: prompt, messageTreeId: prompt, notRankable: false },
  });
}
const report = await db.transaction((tx) => computeQuality(tx));
await close();
console.log(JSON.stringify({ prompt, text, report }));
