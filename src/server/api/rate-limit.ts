import type { TaskType } from "@/server/db/schema";
import type { ReplyBudget } from "@/server/domain/tasks/request-task";
import { assertRateLimit, checkRateLimit, rateLimitError, type RateLimitPolicyName, taskRequestPolicy } from "@/server/ratelimit";

export type RateLimitCheck = { policy: RateLimitPolicyName; identifier: string };
type Resolver<TCtx, TInput> = (opts: { ctx: TCtx; input: TInput }) => (RateLimitCheck | null)[] | RateLimitCheck | null;

/**
 * tRPC middleware that counts the call under one or more policies and refuses it with TOO_MANY_REQUESTS
 * (`details.retryAfterSeconds`) when any is exhausted. With a policy name, the signed-in user is the identifier:
 * `authedProcedure.use(rateLimited("chatReply"))`; a resolver picks policies and identifiers from the context and
 * the parsed input (put `.use()` after `.input()`).
 */
export function rateLimited<TCtx extends { user: { id: string } }, TInput = unknown>(
  policy: RateLimitPolicyName | Resolver<TCtx, TInput>,
) {
  return async function rateLimitMiddleware<TResult>(opts: { ctx: TCtx; input: TInput; next: () => Promise<TResult> }): Promise<TResult> {
    const resolved = typeof policy === "string" ? { policy, identifier: opts.ctx.user.id } : policy(opts);
    for (const check of [resolved].flat()) if (check) await assertRateLimit(check);
    return opts.next();
  };
}

export type TaskRequester = { userId: string; apiClientId: string | null };

/**
 * Charges a task request to its budgets (OA `api/v1/tasks.py` limiters), for every skin that hands out tasks:
 * the API client's overall budget, the user's budget across every task request (30 per 4 minutes, whatever the
 * type; fix of issue 12 #19) and, for an explicit reply request, that reply type's smaller budget. Throws
 * TOO_MANY_REQUESTS when one is spent.
 *
 * Returns the reply budget for `requestTask`: a `random` request that is about to hand out a reply charges that
 * reply type's budget at that moment and, when it is spent, is given other work instead (or refused with the
 * budget's TOO_MANY_REQUESTS when there is no other work), so the assistant-reply limit holds however a reply
 * task is obtained (issue 12 #20).
 */
export async function chargeTaskRequest(requester: TaskRequester, type: TaskType | "random"): Promise<ReplyBudget> {
  if (requester.apiClientId) await assertRateLimit({ policy: "apiClient", identifier: requester.apiClientId });
  await assertRateLimit({ policy: "taskRequest", identifier: requester.userId });
  if (type !== "random" && taskRequestPolicy(type) !== "taskRequest") {
    await assertRateLimit({ policy: taskRequestPolicy(type), identifier: `${requester.userId}:${type}` });
  }
  if (type !== "random") return async () => null;
  return async (replyType) => {
    const policy = taskRequestPolicy(replyType);
    const result = await checkRateLimit({ policy, identifier: `${requester.userId}:${replyType}` });
    return result.success ? null : rateLimitError(result, policy);
  };
}
