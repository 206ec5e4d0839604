import { z } from "zod";
import {
  LABEL_NAMES,
  LABELS_ASSISTANT_REPLY,
  LABELS_INITIAL_PROMPT,
  LABELS_PROMPTER_REPLY,
  MANDATORY_LABELS,
} from "@/server/domain/labels/definitions";

/**
 * Tree manager parameters: OA `TreeManagerConfiguration` (`backend/oasst_backend/config.py`, spec backend §3.1)
 * with the same defaults, camelCased. Each can be overridden with `TREE_MANAGER__<SNAKE_CASE_NAME>` (OA's pydantic
 * nested delimiter) and per language with `languageOverrides`.
 */

const count = z.number().int().min(0);
const positiveCount = z.number().int().min(1);
const probability = z.number().min(0).max(1);
const labelList = z.array(z.enum(LABEL_NAMES)).readonly();

const ZTreeManagerSettings = z.strictObject({
  maxActiveTrees: count,
  maxInitialPromptReview: count,
  maxTreeDepth: positiveCount,
  maxChildrenCount: positiveCount,
  numPrompterReplies: count,
  goalTreeSize: positiveCount,
  randomGoalTreeSize: z.boolean(),
  minGoalTreeSize: positiveCount,
  numReviewsInitialPrompt: positiveCount,
  numReviewsReply: positiveCount,
  autoModEnabled: z.boolean(),
  autoModMaxSkipReply: positiveCount,
  autoModRedFlags: positiveCount,
  pFullLabelingReviewPrompt: probability,
  pFullLabelingReviewReplyAssistant: probability,
  pFullLabelingReviewReplyPrompter: probability,
  acceptanceThresholdInitialPrompt: probability,
  acceptanceThresholdReply: probability,
  numRequiredRankings: positiveCount,
  pActivateBacklogTree: probability,
  minActiveRankingsPerLang: count,
  labelsInitialPrompt: labelList.refine((list) => list.length > 0, "must name at least one label"),
  labelsAssistantReply: labelList.refine((list) => list.length > 0, "must name at least one label"),
  labelsPrompterReply: labelList.refine((list) => list.length > 0, "must name at least one label"),
  mandatoryLabelsInitialPrompt: labelList,
  mandatoryLabelsAssistantReply: labelList,
  mandatoryLabelsPrompterReply: labelList,
  rankPrompterReplies: z.boolean(),
  lonelyChildrenCount: count,
  pLonelyChildExtension: probability,
  recentTasksSpanSec: count,
  maxPendingTasksPerUser: positiveCount,
  maxPromptLotteryWaiting: count,
  initPromptDisabledLangs: z.array(z.string().min(1)).readonly(),
  adaptiveReviews: z.boolean(),
  adaptiveMaxExtraReviews: count,
  adaptiveReviewAgreement: probability,
  adaptiveMaxExtraRankings: count,
  adaptiveRankingMargin: z.number().min(-1).max(1),
  pGoldReview: probability,
  qualityReliabilityWeighting: z.boolean(),
});

export type TreeManagerSettings = Readonly<z.output<typeof ZTreeManagerSettings>>;
export type TreeManagerConfig = TreeManagerSettings & {
  /** Per-language changes, e.g. `{ de: { goalTreeSize: 8 } }`; see `treeConfigForLanguage`. */
  readonly languageOverrides?: Readonly<Record<string, Partial<TreeManagerSettings>>>;
};

const DEFAULT_SETTINGS = {
  maxActiveTrees: 10, // growing trees kept active per language; the prompt lottery tops up to this number
  maxInitialPromptReview: 100, // active trees in initial_prompt_review per language before no new prompts are asked for
  maxTreeDepth: 3, // copied onto each new tree: replies are only asked for under messages with depth < 3
  maxChildrenCount: 3, // copied onto each new tree: a parent stops getting reply tasks at 3 counted children
  numPrompterReplies: 1, // an assistant message gets at most this many prompter replies
  goalTreeSize: 12, // accepted messages (root included) a tree needs before it moves on to ranking
  randomGoalTreeSize: false, // when true each tree draws its goal from [minGoalTreeSize, goalTreeSize]
  minGoalTreeSize: 5, // lower bound of that draw
  numReviewsInitialPrompt: 3, // reviews before an initial prompt is accepted or rejected
  numReviewsReply: 3, // peer reviews before a reply counts toward the tree goal
  autoModEnabled: true, // turns the red-flag and skip-count rules below on
  autoModMaxSkipReply: 25, // a message skipped this often halts its tree (halted_by_moderator)
  autoModRedFlags: 4, // red flags that abort a tree (on its root) or delete a reply with its subtree
  pFullLabelingReviewPrompt: 1.0, // chance a prompt review asks every label rather than the simple set
  pFullLabelingReviewReplyAssistant: 1.0, // same for assistant replies (only `random` requests can get simple)
  // Same for prompter replies. OA overwrote this with 0.1 at runtime (spec §8.6); we use the configured value.
  pFullLabelingReviewReplyPrompter: 0.25,
  acceptanceThresholdInitialPrompt: 0.6, // a prompt is accepted when its acceptance score is strictly above this
  acceptanceThresholdReply: 0.6, // a reply is accepted when its acceptance score is strictly above this
  numRequiredRankings: 3, // completed rankings per parent before the tree can be scored
  pActivateBacklogTree: 0.1, // chance to activate a backlog_ranking tree when an active tree turns terminal
  minActiveRankingsPerLang: 0, // when > 0, fewer open rankings than this also activates a backlog tree
  labelsInitialPrompt: [...LABELS_INITIAL_PROMPT], // labels of a full initial-prompt review
  labelsAssistantReply: [...LABELS_ASSISTANT_REPLY], // labels of a full assistant-reply review
  labelsPrompterReply: [...LABELS_PROMPTER_REPLY], // labels of a full prompter-reply review
  mandatoryLabelsInitialPrompt: [...MANDATORY_LABELS], // a prompt review without these is refused
  mandatoryLabelsAssistantReply: [...MANDATORY_LABELS], // an assistant-reply review without these is refused
  mandatoryLabelsPrompterReply: [...MANDATORY_LABELS], // a prompter-reply review without these is refused
  rankPrompterReplies: false, // when false only assistant replies are ranked and scored
  lonelyChildrenCount: 2, // parents with fewer children than this are "lonely" and preferred for reply tasks
  pLonelyChildExtension: 0.75, // chance to pick a lonely prompter-message parent when one exists
  recentTasksSpanSec: 300, // window in which handed-out tasks hide their target and count as a user's pending tasks
  maxPendingTasksPerUser: 8, // open tasks within that window before a user's next request is refused
  maxPromptLotteryWaiting: 250, // accepted prompts waiting for the lottery per language before prompts are paused
  // No initial-prompt tasks for these languages. OA applied this to availability only (spec §8.5); honour it in both.
  initPromptDisabledLangs: [],
  // Adaptive review count (issue 14; off keeps the original's fixed counts): a message stops at numReviews* when its
  // reviews agree and asks for up to adaptiveMaxExtraReviews more while they split; a sibling group likewise stops at
  // numRequiredRankings or asks for up to adaptiveMaxExtraRankings more (src/server/domain/quality/adaptive-reviews.ts).
  adaptiveReviews: false,
  adaptiveMaxExtraReviews: 2, // further reviews a message whose reviews split may get
  adaptiveReviewAgreement: 0.75, // share of reviews on the majority side (accept/reject) at which they agree
  adaptiveMaxExtraRankings: 2, // further rankings a sibling group whose rankers split may get
  adaptiveRankingMargin: 0.34, // consensus margin (weakest adjacent step, in [-1, 1]) at which the rankers agree
  pGoldReview: 0.05, // chance a review request is given a gold item (when one exists for the reviewer; quality/gold.ts)
  // The quality job's Bradley–Terry fit weighs each ranking by its ranker's agreement score of the previous run
  // (quality/compute-quality.ts); off: every ranking counts the same.
  qualityReliabilityWeighting: false,
} satisfies TreeManagerSettings;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Frozen, so no code path can change the shared configuration the way OA's did (spec §8.6). */
export const DEFAULT_TREE_MANAGER_CONFIG: TreeManagerConfig = deepFreeze(DEFAULT_SETTINGS);

/**
 * The settings for one language: the overrides of exactly that tag (as stored on messages, e.g. `pt-BR`) on top of
 * the global values.
 */
export function treeConfigForLanguage(config: TreeManagerConfig, lang: string): TreeManagerSettings {
  const { languageOverrides, ...settings } = config;
  const override = Object.entries(languageOverrides?.[lang] ?? {}).filter(([, value]) => value !== undefined);
  return override.length === 0 ? settings : { ...settings, ...Object.fromEntries(override) };
}

const ENV_PREFIX = "TREE_MANAGER__";
const LANGUAGE_OVERRIDES_VARIABLE = `${ENV_PREFIX}LANGUAGE_OVERRIDES`;
type SettingName = keyof TreeManagerSettings;
const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as SettingName[];

function envNameFor(setting: string): string {
  return ENV_PREFIX + setting.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, "1": true, yes: true, on: true, false: false, "0": false, no: false, off: false };

/** Reads a variable as the type of the setting's default; an unreadable value is passed on for zod to reject. */
function parseEnvValue(raw: string, defaultValue: unknown): unknown {
  const text = raw.trim();
  if (typeof defaultValue === "number") return Number(text);
  if (typeof defaultValue === "boolean") return BOOLEAN_WORDS[text.toLowerCase()] ?? text;
  if (Array.isArray(defaultValue)) return text.split(",").map((item) => item.trim()).filter(Boolean);
  return raw;
}

export class TreeManagerConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid environment variable ${variable}: ${problem}`);
    this.name = "TreeManagerConfigError";
  }
}

type Issue = z.ZodError["issues"][number];

function validate<T>(schema: z.ZodType<T>, value: unknown, errorFor: (issue: Issue) => TreeManagerConfigError): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw errorFor(result.error.issues[0]!);
}

/** Rules between settings that a per-field schema cannot see. */
function assertConsistent(settings: TreeManagerSettings, variableFor: (setting: SettingName) => string): void {
  if (settings.minGoalTreeSize > settings.goalTreeSize) {
    throw new TreeManagerConfigError(variableFor("minGoalTreeSize"), "must not exceed the goal tree size");
  }
  const pairs = [
    ["mandatoryLabelsInitialPrompt", settings.labelsInitialPrompt],
    ["mandatoryLabelsAssistantReply", settings.labelsAssistantReply],
    ["mandatoryLabelsPrompterReply", settings.labelsPrompterReply],
  ] as const;
  for (const [mandatorySetting, offered] of pairs) {
    const missing = settings[mandatorySetting].filter((label) => !offered.includes(label));
    if (missing.length > 0) {
      throw new TreeManagerConfigError(variableFor(mandatorySetting), `${missing.join(", ")} must also be in the label list`);
    }
  }
}

function parseLanguageOverrides(raw: string): NonNullable<TreeManagerConfig["languageOverrides"]> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new TreeManagerConfigError(LANGUAGE_OVERRIDES_VARIABLE, 'must be JSON like {"de":{"goalTreeSize":8}}');
  }
  const schema = z.record(z.string().min(1), ZTreeManagerSettings.partial());
  return validate(schema, json, (issue) => {
    const where = issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    return new TreeManagerConfigError(LANGUAGE_OVERRIDES_VARIABLE, `${issue.message}${where}`);
  });
}

/**
 * The configuration from `TREE_MANAGER__*` variables over `base`: numbers, booleans (true/false/1/0/yes/no/on/off),
 * comma lists for label and language lists, and `TREE_MANAGER__LANGUAGE_OVERRIDES` as JSON with camelCase names.
 * Empty scalar variables count as unset; an unknown `TREE_MANAGER__` variable is refused, since a typo would
 * otherwise be silently ignored. Throws `TreeManagerConfigError` naming the first bad variable.
 */
export function loadTreeManagerConfig(
  env: Record<string, string | undefined>,
  base: TreeManagerConfig = DEFAULT_TREE_MANAGER_CONFIG,
): TreeManagerConfig {
  const known = new Set([...SETTING_NAMES.map(envNameFor), LANGUAGE_OVERRIDES_VARIABLE]);
  const unknown = Object.keys(env).find((name) => name.startsWith(ENV_PREFIX) && !known.has(name));
  if (unknown) throw new TreeManagerConfigError(unknown, "is not a tree manager setting");

  const { languageOverrides: baseOverrides, ...baseSettings } = base;
  const merged: Record<string, unknown> = { ...baseSettings };
  for (const setting of SETTING_NAMES) {
    const raw = env[envNameFor(setting)];
    if (raw === undefined || (raw.trim() === "" && !Array.isArray(merged[setting]))) continue;
    merged[setting] = parseEnvValue(raw, merged[setting]);
  }
  const settings = validate(ZTreeManagerSettings, merged, (issue) => {
    const name = envNameFor(String(issue.path[0]));
    const given = env[name] === undefined ? "" : ` (got "${env[name]}")`;
    return new TreeManagerConfigError(name, `${issue.message}${given}`);
  });
  assertConsistent(settings, envNameFor);

  const rawOverrides = env[LANGUAGE_OVERRIDES_VARIABLE];
  const languageOverrides = rawOverrides?.trim() ? parseLanguageOverrides(rawOverrides) : baseOverrides;
  const config: TreeManagerConfig = languageOverrides ? { ...settings, languageOverrides } : settings;
  for (const lang of Object.keys(languageOverrides ?? {})) {
    assertConsistent(treeConfigForLanguage(config, lang), () => `${LANGUAGE_OVERRIDES_VARIABLE} (${lang})`);
  }
  return deepFreeze(config);
}
