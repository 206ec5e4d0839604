import { sql } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { tasks, type TaskType } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { type TreeManagerSettings, treeConfigForLanguage } from "@/server/domain/trees/config";
import { pickWeighted, type TreeDeps } from "@/server/domain/trees/deps";
import { missingPromptsFrom, treeCountColumns } from "@/server/domain/trees/lottery";
import { initialPromptPayload, labelPayload, rankPayload, replyPayload, shuffled, type BuildContext } from "./build-task";
import {
  type CandidateQuery, findExtendibleParents, findIncompleteRankings, findPromptsNeedingReview, findRepliesNeedingReview,
  kindsWithWorkColumn, sampleWorkOf,
} from "./candidates";
import { goldReviewTask } from "@/server/domain/quality/gold";
import { toTaskDto } from "./task-dto";
import { TASK_VALIDITY_MINUTES, type TaskDto, type TaskPayload, type TaskRequestType } from "./types";

/**
 * The task hand-out (spec §3.5). Its cost does not grow with the campaign: a request samples a bounded number of
 * open targets from the work rows (`task_work`), checks them against the rules in one query, and takes one.
 *
 * Locking (the one order of every path in this module, `submit-*.ts`, `lifecycle.ts` and `domain/trees`; README
 * "Locking"): the tree's state row, then message rows (by id), then task and work rows. The hand-out locks the
 * target it takes (for reply tasks its tree first, whose goal the reservation counts against) with SKIP LOCKED, so a
 * target someone is writing to right now is passed over for another; only when every sampled target was busy does
 * it wait, for one at a time. Each attempt runs in a savepoint that is rolled back when the target turns out to be
 * taken, so a request never holds one target while it waits for another, and cannot take part in a deadlock.
 */
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

/** The stored task types each kind hands out; a type's targets are its work rows. */
const TYPES_OF_KIND: Record<Exclude<Kind, "prompt">, readonly TaskType[]> = {
  rank: ["rank_assistant_replies", "rank_prompter_replies"],
  labelReply: ["label_prompter_reply", "label_assistant_reply"],
  labelPrompt: ["label_initial_prompt"],
  reply: ["assistant_reply", "prompter_reply"],
};

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

/** When every sampled target was ineligible for this user but more exist, sample again, at most this often. */
const MAX_PROBES = 3;

type Built = { payload: TaskPayload; parentMessageId: string | null; messageTreeId: string | null; gold?: boolean };

/** Reply types whose budget a `random` request found spent, and the error to answer with if nothing else is found. */
type BudgetState = { budget: ReplyBudget; spent: Map<"assistant_reply" | "prompter_reply", Error> };

type Target = { id: string; treeId: string; type: TaskType; children?: number };
type Take = {
  /** Reply tasks count against the tree's goal: lock the tree before the parent. */
  lockTree: boolean;
  /** Targets not to try after all (a reply type whose budget turned out to be spent). */
  skip?: (target: Target) => boolean;
  /** The same rules as the sample was checked with, for this one target, under its locks. */
  recheck: (tx: DbOrTx, target: Target) => Promise<boolean>;
  build: (ctx: BuildContext, target: Target) => Promise<Built | null>;
};

class TargetBusy extends Error {}
class TargetGone extends Error {}

/**
 * Locks the target's message row and, for reply tasks, its tree's state row first, in one statement: PostgreSQL
 * takes the row locks of `for update of s, m` in that order (the order of the `of` list), so the lock order is the
 * same as two statements would give. With `skip locked` a busy row yields no row; a lock already taken then is
 * released by the caller's savepoint.
 */
async function lockTarget(tx: DbOrTx, target: Target, lockTree: boolean, wait: boolean): Promise<boolean> {
  const mode = wait ? sql`` : sql`skip locked`;
  const rows = lockTree
    ? await tx.execute(sql`select 1 from message_tree_states s, messages m
        where s.message_tree_id = ${target.treeId} and m.id = ${target.id} for update of s, m ${mode}`)
    : await tx.execute(sql`select 1 from messages where id = ${target.id} for update ${mode}`);
  return rows.length > 0;
}

/**
 * Takes the first target of `targets` that can be locked and still passes the rules: a pass that skips busy
 * targets, then one that waits for the busy ones, one at a time (module comment).
 */
async function takeFirst(ctx: BuildContext, targets: readonly Target[], take: Take): Promise<Built | null> {
  const attempt = async (target: Target, wait: boolean): Promise<Built | null | "busy"> => {
    try {
      return await ctx.tx.transaction(async (sp) => {
        if (!(await lockTarget(sp, target, take.lockTree, wait))) throw new TargetBusy();
        if (!(await take.recheck(sp, target))) throw new TargetGone();
        const built = await take.build({ ...ctx, tx: sp }, target);
        if (!built) throw new TargetGone();
        return built;
      });
    } catch (error) {
      if (error instanceof TargetBusy) return "busy";
      if (error instanceof TargetGone) return null;
      throw error;
    }
  };
  const busy: Target[] = [];
  for (const target of targets) {
    if (take.skip?.(target)) continue;
    const result = await attempt(target, false);
    if (result === "busy") busy.push(target);
    else if (result) return result;
  }
  for (const target of busy) {
    if (take.skip?.(target)) continue;
    const result = await attempt(target, true);
    if (result && result !== "busy") return result;
  }
  return null;
}

/** Samples open targets of `types` and keeps those this user may take, in the order they should be tried. */
type Eligible = (q: CandidateQuery) => Promise<Target[]>;

/**
 * `withWork`: the types known to have open targets (a `random` request has asked already); without it every type is
 * sampled, and a type without open targets simply yields an empty sample.
 */
async function sampleAndTake(
  ctx: BuildContext, types: readonly TaskType[], withWork: ReadonlySet<TaskType> | null, eligible: Eligible, take: Take,
): Promise<Built | null> {
  const open = withWork ? types.filter((type) => withWork.has(type)) : [...types];
  for (let probe = 0; probe < MAX_PROBES && open.length > 0; probe++) {
    const samples = await sampleWorkOf(ctx.tx, open, ctx.lang, ctx.random);
    const ids = [...new Set(samples.flatMap((sample) => sample.ids))];
    const candidates = await eligible({ userId: ctx.userId, lang: ctx.lang, settings: ctx.settings, ids });
    const built = await takeFirst(ctx, candidates, take);
    if (built) return built;
    if (!samples.some((sample) => sample.more)) return null;
  }
  return null;
}

/** What the request read up front (`preflight`): the types with open work (`random` only) and the missing prompts. */
type Known = { withWork: ReadonlySet<TaskType> | null; missingPrompts: number };

/** An explicit type asks for exactly that type's targets; `random` for every type of the kind. */
const typesFor = (kind: Kind, requested: TaskRequestType): readonly TaskType[] =>
  requested === "random" ? TYPES_OF_KIND[kind as Exclude<Kind, "prompt">] ?? [] : [requested as TaskType];

function attemptFor(kind: Kind, requested: TaskRequestType, budget: BudgetState, known: Known) {
  const withWork = known.withWork;
  const types = typesFor(kind, requested);
  const ofTypes = <T extends Target>(targets: T[]) => targets.filter((target) => types.includes(target.type));
  switch (kind) {
    case "prompt":
      return async (ctx: BuildContext): Promise<Built | null> =>
        known.missingPrompts > 0 ? { payload: initialPromptPayload(ctx.lang), parentMessageId: null, messageTreeId: null } : null;
    case "reply": {
      const toTarget = (p: Awaited<ReturnType<typeof findExtendibleParents>>[number]): Target => ({
        id: p.id, treeId: p.message_tree_id, children: p.children, type: p.role === "prompter" ? "assistant_reply" : "prompter_reply",
      });
      return (ctx: BuildContext) => sampleAndTake(ctx, types, withWork, async (q) => {
        const all = shuffled(ofTypes((await findExtendibleParents(ctx.tx, q)).map(toTarget)), ctx.random);
        const lonely = all.filter((p) => p.type === "assistant_reply" && p.children! > 0 && p.children! < ctx.settings.lonelyChildrenCount);
        const preferLonely = ctx.settings.pLonelyChildExtension > 0 && ctx.settings.lonelyChildrenCount > 1 && lonely.length > 0
          && ctx.random() < ctx.settings.pLonelyChildExtension;
        return preferLonely ? [...lonely, ...all.filter((p) => !lonely.includes(p))] : all;
      }, {
        lockTree: true,
        skip: (target) => budget.spent.has(target.type as "assistant_reply" | "prompter_reply"),
        recheck: async (tx, target) =>
          (await findExtendibleParents(tx, { userId: ctx.userId, lang: ctx.lang, settings: ctx.settings, ids: [target.id] })).length > 0,
        build: async (sub, target) => {
          const type = target.type as "assistant_reply" | "prompter_reply";
          if (budget.spent.has(type)) return null;
          const refused = requested === "random" ? await budget.budget(type) : null;
          if (refused) {
            budget.spent.set(type, refused);
            return null;
          }
          return { payload: await replyPayload(sub, type, target.id), parentMessageId: target.id, messageTreeId: target.treeId };
        },
      });
    }
    case "labelPrompt":
    case "labelReply": {
      const find = kind === "labelPrompt" ? findPromptsNeedingReview : findRepliesNeedingReview;
      const typeOf = (role: "prompter" | "assistant"): TaskType =>
        kind === "labelPrompt" ? "label_initial_prompt" : role === "assistant" ? "label_assistant_reply" : "label_prompter_reply";
      return (ctx: BuildContext) => sampleAndTake(ctx, types, withWork, async (q) =>
        shuffled(ofTypes((await find(ctx.tx, q)).map((m) => ({ id: m.id, treeId: m.message_tree_id, type: typeOf(m.role) }))), ctx.random), {
        lockTree: false,
        recheck: async (tx, target) => (await find(tx, { userId: ctx.userId, lang: ctx.lang, settings: ctx.settings, ids: [target.id] })).length > 0,
        build: async (sub, target) => {
          const type = target.type as "label_initial_prompt" | "label_prompter_reply" | "label_assistant_reply";
          const pFull = type === "label_initial_prompt" ? sub.settings.pFullLabelingReviewPrompt
            : type === "label_assistant_reply" ? sub.settings.pFullLabelingReviewReplyAssistant : sub.settings.pFullLabelingReviewReplyPrompter;
          // Explicitly requested reply reviews are always full; prompts follow their probability (spec §2.4).
          const simpleAllowed = type === "label_initial_prompt" || requested === "random";
          const mode = simpleAllowed && sub.random() > pFull ? "simple" : "full";
          return { payload: await labelPayload(sub, type, target.id, mode), parentMessageId: target.id, messageTreeId: target.treeId };
        },
      });
    }
    case "rank":
      return (ctx: BuildContext) => sampleAndTake(ctx, types, withWork, async (q) =>
        shuffled(ofTypes((await findIncompleteRankings(ctx.tx, q)).map((r) => ({
          id: r.parent_id, treeId: r.message_tree_id, type: r.parent_role === "prompter" ? "rank_assistant_replies" : "rank_prompter_replies",
        } satisfies Target))), ctx.random), {
        lockTree: false,
        recheck: async (tx, target) =>
          (await findIncompleteRankings(tx, { userId: ctx.userId, lang: ctx.lang, settings: ctx.settings, ids: [target.id] })).length > 0,
        build: async (sub, target) => {
          const type = target.type as "rank_assistant_replies" | "rank_prompter_replies";
          return { payload: await rankPayload(sub, type, target.id, target.treeId), parentMessageId: target.id, messageTreeId: target.treeId };
        },
      });
  }
}

/**
 * The `random` request's order of kinds: a weighted draw without replacement over the kinds with open work in the
 * language. A kind whose open work turns out to be nothing this user may take falls through to the next one, which
 * gives the same distribution as drawing among the kinds the user can take.
 */
function randomOrder(ctx: BuildContext, known: Known): Kind[] {
  const withWork = known.withWork ?? new Set<TaskType>();
  const present: Record<Kind, boolean> = {
    rank: randomRankTypes(ctx.settings).some((type) => withWork.has(type)),
    labelReply: TYPES_OF_KIND.labelReply.some((type) => withWork.has(type)),
    labelPrompt: withWork.has("label_initial_prompt"),
    reply: TYPES_OF_KIND.reply.some((type) => withWork.has(type)),
    prompt: known.missingPrompts > 0,
  };
  const order: Kind[] = [];
  let remaining = (Object.keys(RANDOM_WEIGHTS) as Kind[]).filter((kind) => present[kind]);
  while (remaining.length > 0) {
    const next = pickWeighted(remaining.map((kind) => ({ item: kind, weight: RANDOM_WEIGHTS[kind] })), ctx.random)!;
    order.push(next);
    remaining = remaining.filter((kind) => kind !== next);
  }
  return order;
}

const randomRankTypes = (settings: TreeManagerSettings) =>
  settings.rankPrompterReplies ? TYPES_OF_KIND.rank : TYPES_OF_KIND.rank.filter((type) => type !== "rank_prompter_replies");

/** Every type a `random` request may hand out a target of. */
const randomTypes = (settings: TreeManagerSettings) =>
  [...randomRankTypes(settings), ...TYPES_OF_KIND.labelReply, ...TYPES_OF_KIND.labelPrompt, ...TYPES_OF_KIND.reply];

/**
 * The figures a request needs before it samples, read in one statement under the user's lock: the user's pending
 * tasks and, where the request needs them, the types with open work (`random`) and the tree counts behind the
 * missing prompts (`random`, `initial_prompt`).
 */
async function preflight(tx: DbOrTx, userId: string, request: TaskRequest, settings: TreeManagerSettings): Promise<{ pending: number } & Known> {
  const wantsKinds = request.type === "random";
  const wantsPrompts = request.type === "random" || request.type === "initial_prompt";
  const [row] = await tx.execute<{ pending: number; kinds?: TaskType[]; waiting?: number; review?: number; growing?: number }>(sql`select
    (select count(*)::int from tasks t where t.user_id = ${userId} and not t.done and not t.skipped
      and t.created_date > now() - make_interval(secs => ${settings.recentTasksSpanSec})) as pending
    ${wantsKinds ? sql`, ${kindsWithWorkColumn(randomTypes(settings), request.lang)} as kinds` : sql``}
    ${wantsPrompts ? sql`, ${treeCountColumns(request.lang, settings)}` : sql``}`);
  return {
    pending: Number(row?.pending ?? 0),
    withWork: wantsKinds ? new Set(row?.kinds ?? []) : null,
    missingPrompts: wantsPrompts ? missingPromptsFrom(row, request.lang, settings) : 0,
  };
}

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
    const known = await preflight(tx, actor.userId, request, settings);
    if (known.pending >= settings.maxPendingTasksPerUser) {
      throw new AppError("TASK_TOO_MANY_PENDING", `You have ${known.pending} unfinished tasks. Finish or skip one before asking for another.`);
    }
    const ctx: BuildContext = { tx, userId: actor.userId, lang: request.lang, settings, random: deps.random };
    const budget: BudgetState = { budget: options.replyBudget ?? (async () => null), spent: new Map() };
    let kinds: Kind[];
    if (request.type === "random") {
      kinds = randomOrder(ctx, known);
    } else {
      const kind = KIND_OF_TYPE[request.type];
      const disabled = request.type === "rank_prompter_replies" && !settings.rankPrompterReplies;
      kinds = kind && !disabled ? [kind] : [];
    }
    for (const kind of kinds) {
      // Now and then a review request gets a gold item (quality/gold.ts), indistinguishable from a review task.
      const built: Built | null = (await goldReviewTask(ctx, typesFor(kind, request.type))) ?? (await attemptFor(kind, request.type, budget, known)(ctx));
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
          gold: built.gold ?? false,
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
