import { z } from "zod";

/** "true"/"1" → true, "false"/"0"/"" → false; anything else is a mistake worth stopping for. */
const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const optionalString = z.string().min(1).optional();

const serverSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** PostgreSQL URL. The project's scripts start the embedded server and set it when it is missing. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Give up opening a connection after this long (a database that does not answer fails fast, typed). */
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  /** Close a pooled connection unused this long (0: never). */
  DATABASE_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Replace every pooled connection after this long (0: never), so a fail-over or a new role setting is picked up. */
  DATABASE_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(0).max(86_400).default(1_800),
  /** PostgreSQL `statement_timeout` of the app's connections (0: none). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** PostgreSQL `idle_in_transaction_session_timeout`: a transaction left idle this long is ended (0: never). */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /**
   * `transaction`: the URL points at a transaction-mode pooler (PgBouncer, Supavisor): no prepared statements and
   * no session settings at connect (set the timeouts on the role instead; README "Running several processes").
   */
  DATABASE_POOLER: z.enum(["none", "transaction"]).default("none"),
  /**
   * The database server itself, bypassing the pooler, for what needs a session: migrations (a session advisory lock)
   * and LISTEN (chat queue wake-ups). Only needed with DATABASE_POOLER=transaction.
   */
  DATABASE_DIRECT_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional(),
  /** Largest request body the API reads, in bytes (larger ones get a typed 413 before they are buffered). */
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate one with `openssl rand -base64 32`)"),
  AUTH_URL: z.url().optional(),
  /** Development sign-in (pick a name and role). Never turn it on for a public server. */
  AUTH_DEV_LOGIN: booleanFlag,
  AUTH_DISCORD_ID: optionalString,
  AUTH_DISCORD_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  /** Comma lists of `provider:account-id` or emails given the admin / moderator role at sign-in (roles-bootstrap.ts). */
  ADMIN_USERS: z.string().default(""),
  MODERATOR_USERS: z.string().default(""),
  /** SMTP URL for magic-link emails, e.g. smtp://user:pass@smtp.example.com:587. */
  EMAIL_SERVER: optionalString,
  EMAIL_FROM: z.string().default("Open Assistant <noreply@localhost>"),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  UPSTASH_REDIS_REST_URL: z.url().optional(),
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: booleanFlag,
  /** Self-hosted Inngest server, e.g. http://inngest:8288 (Inngest Cloud when unset). */
  INNGEST_BASE_URL: z.url().optional(),
  /** Without Inngest, scheduled jobs run on a timer in the app process; turn it off in extra replicas. */
  JOBS_SCHEDULER_DISABLED: booleanFlag,
  /** Toxicity classification of new messages (off by default, as in OA production). */
  TOXICITY_PROVIDER: z.enum(["none", "huggingface"]).default("none"),
  TOXICITY_API_URL: z.url().default("https://router.huggingface.co/hf-inference/models"),
  TOXICITY_MODEL: z.string().min(1).default("unitary/multilingual-toxic-xlm-roberta"),
  /** A message whose toxic score reaches this goes to the moderators' flagged queue. */
  TOXICITY_FLAG_THRESHOLD: z.coerce.number().min(0).max(1).default(0.9),
  HF_API_TOKEN: optionalString,
  /** Sentence embeddings of new messages, used to warn about near-duplicate prompts (off by default). */
  EMBEDDINGS_PROVIDER: z.enum(["none", "openai", "tei", "huggingface"]).default("none"),
  /** Defaults per provider: openai → https://api.openai.com/v1, huggingface → the HF router; tei needs it. */
  EMBEDDINGS_API_URL: z.url().optional(),
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,
  /** Cosine similarity from which a new prompt counts as a near duplicate of an existing one. */
  NEAR_DUPLICATE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.92),
});

export type Env = z.infer<typeof serverSchema>;

export class EnvError extends Error {}

/** Validates the environment; the message names the first bad variable on one line. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).map(([key, value]) => [key, value === "" ? undefined : value]));
  const result = serverSchema.safeParse(cleaned);
  if (result.success) {
    const env = result.data;
    if (Boolean(env.AUTH_DISCORD_ID) !== Boolean(env.AUTH_DISCORD_SECRET)) {
      throw new EnvError("Invalid environment variable AUTH_DISCORD_SECRET: set both AUTH_DISCORD_ID and AUTH_DISCORD_SECRET, or neither");
    }
    if (Boolean(env.AUTH_GOOGLE_ID) !== Boolean(env.AUTH_GOOGLE_SECRET)) {
      throw new EnvError("Invalid environment variable AUTH_GOOGLE_SECRET: set both AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET, or neither");
    }
    if (env.EMBEDDINGS_PROVIDER === "tei" && !env.EMBEDDINGS_API_URL) {
      throw new EnvError("Invalid environment variable EMBEDDINGS_API_URL: required with EMBEDDINGS_PROVIDER=tei");
    }
    return env;
  }
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const problem = source[name] === undefined || source[name] === "" ? "is missing" : issue.message;
  throw new EnvError(`Invalid environment variable ${name}: ${problem}`);
}

/**
 * Validates only the named variables, for code that also runs where the app is not fully configured (tests,
 * scripts): the rate limiter, the job runtime and the model clients only need their own few.
 */
export function pickEnv<K extends keyof Env>(keys: readonly K[], source: Record<string, string | undefined> = process.env): Pick<Env, K> {
  const values = keys.map((key) => (source[key] === "" ? undefined : source[key]));
  // Some callers run per request (the API's body limit, the model clients): building and running a zod schema each
  // time cost 2–3 % of a cheap request's CPU (a profile of the authed no-op). The answer depends only on these values, so each distinct set is
  // validated once; a changed variable (tests stub them) is a new key. Failures are not kept: they throw each time.
  const memoKey = JSON.stringify([keys, values]);
  const known = pickedEnvs.get(memoKey);
  if (known) return known as Pick<Env, K>;
  const subset = z.object(Object.fromEntries(keys.map((key) => [key, serverSchema.shape[key]])));
  const result = subset.safeParse(Object.fromEntries(keys.map((key, i) => [key, values[i]])));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EnvError(`Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  if (pickedEnvs.size >= PICKED_ENVS_MAX) pickedEnvs.clear();
  const picked = Object.freeze(result.data) as unknown as Pick<Env, K>;
  pickedEnvs.set(memoKey, picked);
  return picked;
}

/** `pickEnv`'s validated subsets by their keys and raw values; a process sees a handful, tests a few hundred. */
const pickedEnvs = new Map<string, unknown>();
const PICKED_ENVS_MAX = 1_000;

let cached: Env | undefined;

/**
 * Validated on first access rather than at import, so `next build` (which imports route modules) needs no
 * runtime configuration; `src/instrumentation.ts` touches it at start-up so a bad value stops the server at once.
 */
export const env: Env = new Proxy({} as Env, {
  get(_target, key: string) {
    cached ??= parseEnv();
    return cached[key as keyof Env];
  },
});

