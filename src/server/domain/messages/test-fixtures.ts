import { eq, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { messages, messageTreeStates, type TreeState } from "@/server/db/schema";
import { isTerminalTreeState } from "@/server/domain/trees/states";

/** Test data written straight to the tables, for tests that are about reading and moderating trees, not growing them. */

export type TestMessage = typeof messages.$inferSelect;

let textCounter = 0;

const PROMPT_STATES: TreeState[] = ["initial_prompt_review", "prompt_lottery_waiting", "aborted_low_grade"];

export async function insertTestMessage(
  db: Database,
  values: {
    userId: string | null;
    parent?: TestMessage;
    role?: "prompter" | "assistant";
    text?: string;
    lang?: string;
    reviewResult?: boolean | null;
    reviewCount?: number;
    deleted?: boolean;
    createdDate?: Date;
  },
): Promise<TestMessage> {
  const id = crypto.randomUUID();
  const { parent } = values;
  const [row] = await db
    .insert(messages)
    .values({
      id,
      parentId: parent?.id ?? null,
      messageTreeId: parent?.messageTreeId ?? id,
      userId: values.userId,
      role: values.role ?? (parent ? (parent.role === "prompter" ? "assistant" : "prompter") : "prompter"),
      frontendMessageId: crypto.randomUUID(),
      text: values.text ?? `test message ${++textCounter}`,
      lang: values.lang ?? parent?.lang ?? "en",
      depth: parent ? parent.depth + 1 : 0,
      reviewResult: values.reviewResult === undefined ? true : values.reviewResult,
      reviewCount: values.reviewCount ?? 3,
      deleted: values.deleted ?? false,
      ...(values.createdDate && { createdDate: values.createdDate }),
    })
    .returning();
  if (parent && !values.deleted) {
    await db.update(messages).set({ childrenCount: sql`${messages.childrenCount} + 1` }).where(eq(messages.id, parent.id));
  }
  return row!;
}

/** A root message with its tree state row. */
export async function insertTestTree(
  db: Database,
  values: {
    userId: string | null;
    state?: TreeState;
    lang?: string;
    wonPromptLotteryDate?: Date | null;
    origin?: string | null;
    goalTreeSize?: number;
    reviewResult?: boolean | null;
    reviewCount?: number;
  },
) {
  const state = values.state ?? "growing";
  const root = await insertTestMessage(db, {
    userId: values.userId,
    lang: values.lang,
    reviewResult: values.reviewResult,
    reviewCount: values.reviewCount,
  });
  await db.insert(messageTreeStates).values({
    messageTreeId: root.id,
    goalTreeSize: values.goalTreeSize ?? 12,
    maxDepth: 3,
    maxChildrenCount: 3,
    state,
    active: !isTerminalTreeState(state),
    lang: root.lang,
    origin: values.origin ?? null,
    // Trees past the prompt stages won the lottery once.
    wonPromptLotteryDate:
      values.wonPromptLotteryDate !== undefined ? values.wonPromptLotteryDate : PROMPT_STATES.includes(state) ? null : new Date(),
  });
  return root;
}

export async function readTestMessage(db: Database, id: string): Promise<TestMessage | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

export async function readTestTreeState(db: Database, treeId: string) {
  const [row] = await db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, treeId));
  return row;
}
