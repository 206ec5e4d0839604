import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { tasks, type TaskType } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { goldItemsMayExist, goldReviewTask } from "@/server/domain/quality/gold";
import { type TreeManagerSettings, treeConfigForLanguage } from "@/server/domain/trees/config";
import { pickWeighted, type TreeDeps } from "@/server/domain/trees/deps";
import { promptCapsJson } from "@/server/domain/trees/lottery";
import { labelSpec } from "./build-task";
import { ruleSettingsJson } from "./candidates";
import { toTaskDto } from "./task-dto";
import { TASK_VALIDITY_MINUTES, type LabelTaskType, type TaskDto, type TaskRequestType, ZTaskPayload } from "./types";

/**
 * The task hand-out (spec §3.5) in one statement: `oa_request_task` (migration `handout_one_statement`) runs the
 * whole request server-side, so it costs one round trip and no BEGIN/COMMIT, and its cost does not grow with the
 * campaign: it samples a bounded number of open targets from the work rows (`task_work`), checks them against the
 * rules (the SQL functions behind `candidates.ts`), and takes one. This module only prepares the request's plan
 * (the order of kinds, the random keys and draws, the label lists) and charges reply budgets.
 *
 * Locking (the one order of every path in this module, `submit-*.ts`, `lifecycle.ts` and `domain/trees`; README
 * "Locking"): the tree's state row, then message rows (by id), then task and work rows. The hand-out first takes
 * the user's transaction advisory lock (a user's requests are serialised, so the pending limit holds), then locks
 * the target it takes (for reply tasks its tree first, whose goal the reservation counts against) with SKIP LOCKED,
 * so a target someone is writing to right now is passed over for another; only when every sampled target was busy
 * does it wait, for one at a time. Each attempt runs in a subtransaction (a PL/pgSQL exception block) that is rolled
 * back when the target turns out to be taken, so a request never holds one target while it waits for another, and
 * cannot take part in a deadlock. Sampled targets closed to everyone are marked full on their work rows
 * (`task_work.full_until`, SKIP LOCKED) as the request's last step, when it waits for nothing more.
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

/** Random sample keys a plan carries: kinds × probes (3) × types per kind, with room to spare. */
const SAMPLE_KEYS = 40;
/**
 * How long at most a work row stays marked full once the hand-out found its target closed to everyone (migration
 * `handout_full_marks`): a mark lasts until the target's first reservation lapses and is cleared by the events that
 * free capacity, so this only bounds how late a change that no event reports (a settings change, a clear that
 * raced a mark) is seen.
 */
export const FULL_MARK_SECONDS = 30;

const LABEL_TYPES: readonly LabelTaskType[] = ["label_initial_prompt", "label_prompter_reply", "label_assistant_reply"];

/**
 * The `random` request's order of kinds: a weighted draw without replacement over every kind. The hand-out passes
 * over kinds without work in the language, and a kind whose open work turns out to be nothing this user may take
 * falls through to the next one; a weighted draw without replacement restricted to a subset of the kinds is the same
 * draw over that subset, so this gives the same distribution as drawing among the kinds the user can take.
 */
function randomOrder(random: () => number): Kind[] {
  const order: Kind[] = [];
  let remaining = Object.keys(RANDOM_WEIGHTS) as Kind[];
  while (remaining.length > 0) {
    const next = pickWeighted(remaining.map((kind) => ({ item: kind, weight: RANDOM_WEIGHTS[kind] })), random)!;
    order.push(next);
    remaining = remaining.filter((kind) => kind !== next);
  }
  return order;
}

/** The kinds a request tries, in order, each with the types it may hand out. */
function kindsFor(request: TaskRequest, settings: TreeManagerSettings, random: () => number): { kind: Kind; types: readonly TaskType[] }[] {
  if (request.type === "random") {
    return randomOrder(random).map((kind) => ({
      kind,
      types: kind === "prompt" ? [] : kind === "rank" && !settings.rankPrompterReplies
        ? TYPES_OF_KIND.rank.filter((type) => type !== "rank_prompter_replies") : TYPES_OF_KIND[kind],
    }));
  }
  const kind = KIND_OF_TYPE[request.type];
  const disabled = request.type === "rank_prompter_replies" && !settings.rankPrompterReplies;
  return kind && !disabled ? [{ kind, types: kind === "prompt" ? [] : [request.type] }] : [];
}

/**
 * What `oa_request_task` needs, with every random draw made here (so tests can fix them): the sample keys, whether
 * reply tasks prefer lonely parents, each label type's mode (explicitly requested reply reviews are always full;
 * prompts follow their probability, spec §2.4) and the seed that shuffles a rank task's replies.
 */
function planFor(request: TaskRequest, settings: TreeManagerSettings, random: () => number, exclude: readonly TaskType[]) {
  const kinds = kindsFor(request, settings, random);
  const preferLonely = settings.pLonelyChildExtension > 0 && settings.lonelyChildrenCount > 1 && random() < settings.pLonelyChildExtension;
  const labels = Object.fromEntries(LABEL_TYPES.map((type) => {
    const pFull = type === "label_initial_prompt" ? settings.pFullLabelingReviewPrompt
      : type === "label_assistant_reply" ? settings.pFullLabelingReviewReplyAssistant : settings.pFullLabelingReviewReplyPrompter;
    const simpleAllowed = type === "label_initial_prompt" || request.type === "random";
    return [type, labelSpec(type, simpleAllowed && random() > pFull ? "simple" : "full", settings)];
  }));
  return {
    s: JSON.parse(ruleSettingsJson(settings)) as unknown,
    maxPending: settings.maxPendingTasksPerUser,
    validityMinutes: TASK_VALIDITY_MINUTES,
    prompts: JSON.parse(promptCapsJson(request.lang, settings)) as unknown,
    kinds: kinds.map(({ kind, types }) => ({ kind, types, lockTree: kind === "reply", preferLonely: kind === "reply" && preferLonely })),
    keys: Array.from({ length: SAMPLE_KEYS }, () => random()),
    fullForSec: FULL_MARK_SECONDS,
    seed: String(random()),
    labels,
    exclude,
  };
}

type HandoutResult =
  | { status: "task"; task: { id: string; type: TaskType; createdMs: number; expiryMs: number | null; payload: unknown } }
  | { status: "pending"; pending: number }
  | { status: "none" };

const isReplyType = (type: TaskType): type is "assistant_reply" | "prompter_reply" => type === "assistant_reply" || type === "prompter_reply";

/**
 * Hands out the next task (spec §3.5): the user's own requests are serialised (so the pending limit holds), each
 * target is locked and re-checked before it is reserved, and a user is only ever offered a task they can submit.
 * `random` follows the original weights and, since a random task is still a task of one type, is subject to that
 * type's rules and limits. A reply a `random` request hands out is charged to its budget after the hand-out; when
 * that budget is spent the task is withdrawn (no one has seen it) and the request tries again without that type.
 */
export async function requestTask(
  db: Database,
  actor: TaskActor,
  request: TaskRequest,
  deps: TreeDeps,
  options: RequestOptions = {},
): Promise<TaskDto> {
  const settings = treeConfigForLanguage(deps.config, request.lang);
  const budget = options.replyBudget ?? (async () => null);
  const exclude: TaskType[] = [];
  let spent: Error | null = null;
  for (;;) {
    const plan = planFor(request, settings, deps.random, exclude);
    // Now and then a review is a gold item (quality/gold.ts), handed out as an ordinary review task of the same type
    // and payload. Only the plan's first choice is replaced, and only when it is a review.
    const gold = await handOutGoldReview(db, actor, request, settings, deps, plan.kinds[0]?.types ?? []);
    if (gold) return gold;
    const [row] = await db.execute<{ result: HandoutResult }>(sql`select oa_request_task(${actor.userId}::uuid,
      ${actor.apiClientId}::uuid, ${request.lang}, ${JSON.stringify(plan)}::jsonb) as result`);
    const result = row!.result;
    if (result.status === "pending") {
      throw new AppError("TASK_TOO_MANY_PENDING", `You have ${result.pending} unfinished tasks. Finish or skip one before asking for another.`);
    }
    if (result.status === "none") {
      // The only work left was replies this user has no budget for: say when to come back.
      if (spent) throw spent;
      throw new AppError(
        "TASK_REQUESTED_TYPE_NOT_AVAILABLE",
        request.type === "random" ? "There is no task for you right now. Please come back later." : "There is no task of this type for you right now.",
      );
    }
    const { task } = result;
    if (request.type === "random" && isReplyType(task.type)) {
      const refused = await budget(task.type);
      if (refused) {
        await db.execute(sql`delete from tasks where id = ${task.id} and user_id = ${actor.userId}`);
        exclude.push(task.type);
        spent ??= refused;
        continue;
      }
    }
    return {
      id: task.id,
      type: task.type,
      createdAt: new Date(Number(task.createdMs)),
      expiresAt: task.expiryMs === null ? null : new Date(Number(task.expiryMs)),
      acked: false,
      payload: ZTaskPayload.parse(task.payload),
    };
  }
}

/**
 * The gold branch of the hand-out: outside `oa_request_task` (gold items are rare, and their task row is marked
 * `gold` so its answer is scored instead of counted), with the same serialisation and pending limit: the user's
 * transaction advisory lock of `oa_request_task`, then the pending count, then the task.
 */
async function handOutGoldReview(
  db: Database, actor: TaskActor, request: TaskRequest, settings: TreeManagerSettings, deps: TreeDeps, firstTypes: readonly TaskType[],
): Promise<TaskDto | null> {
  const reviewTypes = firstTypes.filter((type): type is LabelTaskType => (LABEL_TYPES as readonly TaskType[]).includes(type));
  if (reviewTypes.length === 0 || settings.pGoldReview <= 0 || !(await goldItemsMayExist(db))) return null;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('oa-task-request:' || ${actor.userId}::text))`);
    const built = await goldReviewTask({ tx, userId: actor.userId, lang: request.lang, settings, random: deps.random }, reviewTypes);
    if (!built) return null;
    const [pending] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from tasks t where t.user_id = ${actor.userId}
      and not t.done and not t.skipped and t.created_date > now() - make_interval(secs => ${settings.recentTasksSpanSec})`);
    if ((pending?.n ?? 0) >= settings.maxPendingTasksPerUser) {
      throw new AppError("TASK_TOO_MANY_PENDING", `You have ${pending!.n} unfinished tasks. Finish or skip one before asking for another.`);
    }
    const [task] = await tx.insert(tasks).values({
      userId: actor.userId, apiClientId: actor.apiClientId, type: built.payload.type, payload: built.payload,
      expiryDate: sql`now() + make_interval(mins => ${TASK_VALIDITY_MINUTES})`,
      parentMessageId: built.parentMessageId, messageTreeId: built.messageTreeId, gold: true,
    }).returning();
    return toTaskDto(task!);
  });
}
