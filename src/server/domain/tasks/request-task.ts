import { and, eq, gt, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { messages, tasks, type TaskType } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { treeConfigForLanguage } from "@/server/domain/trees/config";
import { pickWeighted, type TreeDeps } from "@/server/domain/trees/deps";
import { countMissingPrompts } from "@/server/domain/trees/lottery";
import { initialPromptPayload, labelPayload, rankPayload, replyPayload, type BuildContext } from "./build-task";
import {
  type CandidateQuery, findExtendibleParents, findIncompleteRankings, findPromptsNeedingReview, findRepliesNeedingReview,
} from "./candidates";
import { toTaskDto } from "./task-dto";
import { TASK_VALIDITY_MINUTES, type TaskDto, type TaskPayload, type TaskRequestType } from "./types";

export type TaskActor = { userId: string; apiClientId: string | null };
export type TaskRequest = { type: TaskRequestType; lang: string };

/**
 * Charges one reply of `type` handed out by a `random` request to the user's budget for that type; returns the
 * error to answer with when the budget is spent (the request then gets other work, or that error if there is none).
 * Explicit reply requests are charged before they reach the domain.
 */
export type ReplyBudget = (type: "assistant_reply" | "prompter_reply") => Promise<Error | null>;
export type RequestOptions = { replyBudget?: ReplyBudget };

/** Weights of the `random` request (OA tree_manager._random_task_selection). */
const RANDOM_WEIGHTS = { rank: 10, labelReply: 5, labelPrompt: 5, reply: 2, prompt: 0.01 } as const;
type Kind = keyof typeof RANDOM_WEIGHTS;

const KIND_OF_TYPE: Partial<Record<TaskType, Kind>> = {
  initial_prompt: "prompt",
  prompter_reply: "reply",
  assistant_reply: "reply",
  label_initial_prompt: "labelPrompt",
  label_prompter_reply: "labelReply",
  label_assistant_reply: "labelReply",
  rank_assistant_replies: "rank",
  rank_prompter_replies: "rank",
};

type Built = { payload: TaskPayload; parentMessageId: string | null; messageTreeId: string | null };
type Attempt = (ctx: BuildContext, q: CandidateQuery) => Promise<Built | null>;

/** Reply types whose budget a `random` request found spent, and the error to answer with if nothing else is found. */
type BudgetState = { budget: ReplyBudget; spent: Map<"assistant_reply" | "prompter_reply", Error> };

/** Locks a target and re-checks it with the same rules, so concurrent hand-outs never over-reserve it. */
async function lockTarget(tx: DbOrTx, id: string) {
  await tx.select({ id: messages.id }).from(messages).where(eq(messages.id, id)).for("update");
}

function attemptFor(kind: Kind, requested: TaskRequestType, deps: TreeDeps, budget: BudgetState, requestedRole?: "prompter" | "assistant"): Attempt {
  switch (kind) {
    case "prompt":
      return async (ctx) =>
        (await countMissingPrompts(ctx.tx, ctx.lang, deps)) > 0
          ? { payload: initialPromptPayload(ctx.lang), parentMessageId: null, messageTreeId: null }
          : null;
    case "reply":
      return async (ctx, q) => {
        const all = (await findExtendibleParents(ctx.tx, q)).filter((p) => !requestedRole || p.role === requestedRole);
        const lonely = all.filter((p) => p.role === "prompter" && p.children > 0 && p.children < ctx.settings.lonelyChildrenCount);
        const preferLonely = ctx.settings.pLonelyChildExtension > 0 && ctx.settings.lonelyChildrenCount > 1 && lonely.length > 0
          && ctx.random() < ctx.settings.pLonelyChildExtension;
        for (const parent of preferLonely ? [...lonely, ...all] : all) {
          await lockTarget(ctx.tx, parent.id);
          if ((await findExtendibleParents(ctx.tx, { ...q, onlyId: parent.id })).length === 0) continue;
          const type = parent.role === "prompter" ? "assistant_reply" : "prompter_reply";
          if (budget.spent.has(type)) continue;
          const refused = requested === "random" ? await budget.budget(type) : null;
          if (refused) {
            budget.spent.set(type, refused);
            continue;
          }
          return { payload: await replyPayload(ctx, type, parent.id), parentMessageId: parent.id, messageTreeId: parent.message_tree_id };
        }
        return null;
      };
    case "labelPrompt":
    case "labelReply":
      return async (ctx, q) => {
        const find = kind === "labelPrompt" ? findPromptsNeedingReview : findRepliesNeedingReview;
        const candidates = (await find(ctx.tx, q)).filter((m) => !requestedRole || m.role === requestedRole);
        for (const message of candidates) {
          await lockTarget(ctx.tx, message.id);
          if ((await find(ctx.tx, { ...q, onlyId: message.id })).length === 0) continue;
          const type = kind === "labelPrompt" ? "label_initial_prompt" : message.role === "assistant" ? "label_assistant_reply" : "label_prompter_reply";
          const pFull = type === "label_initial_prompt" ? ctx.settings.pFullLabelingReviewPrompt
            : type === "label_assistant_reply" ? ctx.settings.pFullLabelingReviewReplyAssistant : ctx.settings.pFullLabelingReviewReplyPrompter;
          // Explicitly requested reply reviews are always full; prompts follow their probability (spec §2.4).
          const simpleAllowed = type === "label_initial_prompt" || requested === "random";
          const mode = simpleAllowed && ctx.random() > pFull ? "simple" : "full";
          return { payload: await labelPayload(ctx, type, message.id, mode), parentMessageId: message.id, messageTreeId: message.message_tree_id };
        }
        return null;
      };
    case "rank":
      return async (ctx, q) => {
        const candidates = (await findIncompleteRankings(ctx.tx, q)).filter((r) => !requestedRole || r.parent_role === requestedRole);
        for (const ranking of candidates) {
          await lockTarget(ctx.tx, ranking.parent_id);
          if ((await findIncompleteRankings(ctx.tx, { ...q, onlyId: ranking.parent_id })).length === 0) continue;
          const type = ranking.parent_role === "prompter" ? "rank_assistant_replies" : "rank_prompter_replies";
          return { payload: await rankPayload(ctx, type, ranking.parent_id, ranking.message_tree_id), parentMessageId: ranking.parent_id, messageTreeId: ranking.message_tree_id };
        }
        return null;
      };
  }
}

/** Candidate counts per kind for the `random` weights (only kinds with work get a chance). */
async function availableKinds(ctx: BuildContext, q: CandidateQuery, deps: TreeDeps): Promise<Kind[]> {
  const probe = { ...q, limit: 1 };
  const [rank, labelReply, labelPrompt, reply, prompt] = await Promise.all([
    findIncompleteRankings(ctx.tx, probe),
    findRepliesNeedingReview(ctx.tx, probe),
    findPromptsNeedingReview(ctx.tx, probe),
    findExtendibleParents(ctx.tx, probe),
    countMissingPrompts(ctx.tx, ctx.lang, deps),
  ]);
  const present: Record<Kind, boolean> = { rank: rank.length > 0, labelReply: labelReply.length > 0, labelPrompt: labelPrompt.length > 0, reply: reply.length > 0, prompt: prompt > 0 };
  const order: Kind[] = [];
  let remaining = (Object.keys(RANDOM_WEIGHTS) as Kind[]).filter((kind) => present[kind]);
  while (remaining.length > 0) {
    const next = pickWeighted(remaining.map((kind) => ({ item: kind, weight: RANDOM_WEIGHTS[kind] })), ctx.random)!;
    order.push(next);
    remaining = remaining.filter((kind) => kind !== next);
  }
  return order;
}

const ROLE_OF_TYPE: Partial<Record<TaskType, "prompter" | "assistant">> = {
  prompter_reply: "assistant", // replies as the prompter go under assistant messages
  assistant_reply: "prompter",
  label_prompter_reply: "prompter",
  label_assistant_reply: "assistant",
  rank_assistant_replies: "prompter", // the ranking parent's role
  rank_prompter_replies: "assistant",
};

/**
 * Hands out the next task (spec §3.5) in one transaction: the user's own requests are serialised (so the pending
 * limit holds), each target is locked and re-checked before it is reserved, and a user is only ever offered a task
 * they can submit. `random` follows the original weights and, since a random task is still a task of one type, is
 * subject to that type's rules and limits.
 */
export async function requestTask(
  db: Database,
  actor: TaskActor,
  request: TaskRequest,
  deps: TreeDeps,
  options: RequestOptions = {},
): Promise<TaskDto> {
  const settings = treeConfigForLanguage(deps.config, request.lang);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`oa-task-request:${actor.userId}`}))`);
    const [pending] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(tasks)
      .where(and(eq(tasks.userId, actor.userId), eq(tasks.done, false), eq(tasks.skipped, false),
        gt(tasks.createdDate, sql`now() - make_interval(secs => ${settings.recentTasksSpanSec})`)));
    if ((pending?.n ?? 0) >= settings.maxPendingTasksPerUser) {
      throw new AppError("TASK_TOO_MANY_PENDING", `You have ${pending!.n} unfinished tasks. Finish or skip one before asking for another.`);
    }
    const ctx: BuildContext = { tx, userId: actor.userId, lang: request.lang, settings, random: deps.random };
    const q: CandidateQuery = { userId: actor.userId, lang: request.lang, settings };
    const budget: BudgetState = { budget: options.replyBudget ?? (async () => null), spent: new Map() };
    let attempts: Attempt[];
    if (request.type === "random") {
      attempts = (await availableKinds(ctx, q, deps)).map((kind) => attemptFor(kind, "random", deps, budget));
    } else {
      const kind = KIND_OF_TYPE[request.type];
      const disabled = request.type === "rank_prompter_replies" && !settings.rankPrompterReplies;
      attempts = kind && !disabled ? [attemptFor(kind, request.type, deps, budget, ROLE_OF_TYPE[request.type])] : [];
    }
    for (const attempt of attempts) {
      const built = await attempt(ctx, q);
      if (!built) continue;
      const [task] = await tx
        .insert(tasks)
        .values({
          userId: actor.userId,
          apiClientId: actor.apiClientId,
          type: built.payload.type,
          payload: built.payload,
          expiryDate: sql`now() + make_interval(mins => ${TASK_VALIDITY_MINUTES})`,
          parentMessageId: built.parentMessageId,
          messageTreeId: built.messageTreeId,
        })
        .returning();
      return toTaskDto(task!);
    }
    // The only work left was replies this user has no budget for: say when to come back.
    const [spent] = budget.spent.values();
    if (spent) throw spent;
    throw new AppError(
      "TASK_REQUESTED_TYPE_NOT_AVAILABLE",
      request.type === "random" ? "There is no task for you right now. Please come back later." : "There is no task of this type for you right now.",
    );
  });
}

