import type { TaskType } from "@/server/db/schema";
import { assertRateLimit, checkRateLimit, type RateLimitPolicyName, taskRequestPolicy } from "@/server/ratelimit";

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

type TaskRequestCtx = { user: { id: string }; apiClient?: { id: string } | null };

/**
 * Task requests (OA `api/deps.py` limiters): the API client's overall budget, and the user's budget for the
 * requested type — `random` has its own. Fix §8.5: a `random` request that turns out to be an assistant or
 * prompter reply is also charged to that type's (smaller) budget, so mixing random and explicit requests cannot
 * get around it. The charge comes after the hand-out and does not refuse it; the next request is refused instead.
 */
export function rateLimitTaskRequest<TResult extends { ok: boolean }>(opts: {
  ctx: TaskRequestCtx;
  input: { type: TaskType | "random" };
  next: () => Promise<TResult>;
}): Promise<TResult> {
  const { ctx, input } = opts;
  return rateLimited<TaskRequestCtx, typeof input>(() => [
    ctx.apiClient ? { policy: "apiClient", identifier: ctx.apiClient.id } : null,
    { policy: taskRequestPolicy(input.type), identifier: `${ctx.user.id}:${input.type}` },
  ])({
    ctx,
    input,
    next: async () => {
      const result = await opts.next();
      const handedOut = result.ok ? (result as unknown as { data?: { type?: TaskType } }).data?.type : undefined;
      if (input.type === "random" && handedOut && taskRequestPolicy(handedOut) !== "taskRequest") {
        await checkRateLimit({ policy: taskRequestPolicy(handedOut), identifier: `${ctx.user.id}:${handedOut}` });
      }
      return result;
    },
  });
}
