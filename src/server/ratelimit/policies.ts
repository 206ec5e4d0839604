import type { TaskType } from "@/server/db/schema";

/**
 * The rate-limit policy table (dub `ratelimit-policies.ts`), seeded with OA's numbers. Every policy is a fixed
 * window: `attempts` per `window`, counted per identifier (a user, a user and task type, an API client, an email
 * address). Fixed windows make the "retry after" we tell the caller exact: when the window ends the full quota is
 * back (a sliding window would only promise a share of it).
 */
export type RateLimitWindow = `${number} ${"s" | "m" | "h"}`;
export type RateLimitPolicy = { attempts: number; window: RateLimitWindow };

export const RATE_LIMIT_POLICIES = {
  /** Every task request of one user, whatever its type (OA RATE_LIMIT_TASK_USER_TIMES/MINUTES, backend/config.py). */
  taskRequest: { attempts: 30, window: "4 m" },
  /** Assistant replies are the costliest work to review, so they come slowest (OA RATE_LIMIT_ASSISTANT_USER_*). */
  assistantReplyTask: { attempts: 4, window: "2 m" },
  /** OA RATE_LIMIT_PROMPTER_USER_*. */
  prompterReplyTask: { attempts: 8, window: "2 m" },
  /** Everything one external API client sends (OA RATE_LIMIT_TASK_API_*). */
  apiClient: { attempts: 10_000, window: "1 m" },
  /** Chat messages a user asks a model to answer (OA inference RATE_LIMIT_MESSAGES_USER_TIMES/SECONDS = 20/600). */
  chatReply: { attempts: 20, window: "10 m" },
  /** Magic-link emails to one address; keeps the sign-in form from being used to flood an inbox. */
  signInEmail: { attempts: 3, window: "10 m" },
  /** Near-duplicate checks call the embeddings API once each. */
  similarPrompts: { attempts: 30, window: "1 m" },
} as const satisfies Record<string, RateLimitPolicy>;

export type RateLimitPolicyName = keyof typeof RATE_LIMIT_POLICIES;

/** The extra per-type policy of a task request; types without one (and `random`) only count under `taskRequest`. */
export function taskRequestPolicy(type: TaskType | "random"): RateLimitPolicyName {
  if (type === "assistant_reply") return "assistantReplyTask";
  if (type === "prompter_reply") return "prompterReplyTask";
  return "taskRequest";
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

export function windowMs(window: RateLimitWindow): number {
  const [amount, unit] = window.split(" ") as [string, keyof typeof UNIT_MS];
  return Number(amount) * UNIT_MS[unit];
}
