import type { TaskType } from "@/server/db/schema";

/**
 * The label table as data (OA `TextLabel` in `oasst-shared/oasst_shared/schemas/protocol.py`, lists in
 * `backend/oasst_backend/config.py`; spec backend §2.4). The zod input schemas, the task payloads and the label
 * widgets in the UI all read from here. Label values are floats in [0, 1]; 1 means "yes, this applies".
 */

export const LABEL_WIDGETS = ["yes_no", "flag", "likert"] as const;
export type LabelWidget = (typeof LABEL_WIDGETS)[number];

/** Every label, in OA's `TextLabel` declaration order (the order of `GET /text_labels/valid_labels`). */
export const LABEL_NAMES = [
  "spam",
  "fails_task",
  "lang_mismatch",
  "pii",
  "not_appropriate",
  "hate_speech",
  "sexual_content",
  "moral_judgement",
  "political_content",
  "quality",
  "toxicity",
  "humor",
  "helpfulness",
  "creativity",
  "violence",
] as const;
export type LabelName = (typeof LABEL_NAMES)[number];

export type LabelDefinition = {
  name: LabelName;
  widget: LabelWidget;
  /** next-intl key of the short label, e.g. `labels.spam` in `messages/<locale>/labels.json`. */
  displayKey: string;
  /** next-intl key of the longer explanation shown in the help popover. */
  helpKey: string;
  /**
   * The likert scale is drawn with its "1" end first (e.g. "rude … polite") and the stored value is 1 − the picked
   * position, so the desirable answer is always on the same side (OA website `LabelLikertGroup.tsx`).
   */
  inverted?: boolean;
};

function defineLabel(name: LabelName, widget: LabelWidget, options: { inverted?: boolean } = {}): LabelDefinition {
  return { name, widget, displayKey: `labels.${name}`, helpKey: `labels.help.${name}`, ...options };
}

export const LABEL_DEFINITIONS: Readonly<Record<LabelName, LabelDefinition>> = {
  // yes/no questions
  spam: defineLabel("spam", "yes_no"),
  fails_task: defineLabel("fails_task", "yes_no"),
  // flags (ticked or not)
  lang_mismatch: defineLabel("lang_mismatch", "flag"),
  pii: defineLabel("pii", "flag"),
  not_appropriate: defineLabel("not_appropriate", "flag"),
  hate_speech: defineLabel("hate_speech", "flag"),
  sexual_content: defineLabel("sexual_content", "flag"),
  moral_judgement: defineLabel("moral_judgement", "flag"),
  political_content: defineLabel("political_content", "flag"),
  // five-step likert scales
  quality: defineLabel("quality", "likert"),
  toxicity: defineLabel("toxicity", "likert", { inverted: true }),
  humor: defineLabel("humor", "likert"),
  helpfulness: defineLabel("helpfulness", "likert"),
  creativity: defineLabel("creativity", "likert"),
  violence: defineLabel("violence", "likert", { inverted: true }),
};

/** Full review of an initial prompt (OA `labels_initial_prompt`). */
export const LABELS_INITIAL_PROMPT: readonly LabelName[] = [
  "spam", "lang_mismatch", "quality", "creativity", "humor", "toxicity", "violence",
  "not_appropriate", "pii", "hate_speech", "sexual_content",
];
/** Full review of a prompter reply: the same eleven as the initial prompt (OA `labels_prompter_reply`). */
export const LABELS_PROMPTER_REPLY: readonly LabelName[] = LABELS_INITIAL_PROMPT;
/** Full review of an assistant reply adds `fails_task` and `helpfulness` (OA `labels_assistant_reply`). */
export const LABELS_ASSISTANT_REPLY: readonly LabelName[] = [
  "spam", "lang_mismatch", "fails_task", "quality", "helpfulness", "creativity", "humor", "toxicity", "violence",
  "not_appropriate", "pii", "hate_speech", "sexual_content",
];
/** Labels offered when reporting a message (OA `api/v1/text_labels.py`). */
export const REPORT_LABELS: readonly LabelName[] = [
  "spam", "not_appropriate", "pii", "hate_speech", "sexual_content", "moral_judgement", "political_content",
  "toxicity", "violence", "quality",
];
/** Free labelling outside a task may use any label but `fails_task`, which only makes sense against a task. */
export const FREE_LABELING_LABELS: readonly LabelName[] = LABEL_NAMES.filter((name) => name !== "fails_task");
/** A review without these is refused: acceptance is computed from `spam` (OA `mandatory_labels_*`). */
export const MANDATORY_LABELS: readonly LabelName[] = ["spam"];

export type LabelTaskKind = Extract<TaskType, "label_initial_prompt" | "label_prompter_reply" | "label_assistant_reply">;
/** `simple` asks only what acceptance needs (OA `LabelTaskMode`); `full` asks the whole list. */
export type LabelingMode = "simple" | "full";

/** The configurable lists; `TreeManagerSettings` has the same fields, so a tree config can be passed as is. */
export type LabelListConfig = {
  labelsInitialPrompt: readonly LabelName[];
  labelsPrompterReply: readonly LabelName[];
  labelsAssistantReply: readonly LabelName[];
  mandatoryLabelsInitialPrompt: readonly LabelName[];
  mandatoryLabelsPrompterReply: readonly LabelName[];
  mandatoryLabelsAssistantReply: readonly LabelName[];
};

export const DEFAULT_LABEL_LISTS: LabelListConfig = {
  labelsInitialPrompt: LABELS_INITIAL_PROMPT,
  labelsPrompterReply: LABELS_PROMPTER_REPLY,
  labelsAssistantReply: LABELS_ASSISTANT_REPLY,
  mandatoryLabelsInitialPrompt: MANDATORY_LABELS,
  mandatoryLabelsPrompterReply: MANDATORY_LABELS,
  mandatoryLabelsAssistantReply: MANDATORY_LABELS,
};

export function mandatoryLabelsFor(taskKind: LabelTaskKind, lists: LabelListConfig = DEFAULT_LABEL_LISTS) {
  if (taskKind === "label_initial_prompt") return lists.mandatoryLabelsInitialPrompt;
  return taskKind === "label_prompter_reply" ? lists.mandatoryLabelsPrompterReply : lists.mandatoryLabelsAssistantReply;
}

function fullLabelsFor(taskKind: LabelTaskKind, lists: LabelListConfig): readonly LabelName[] {
  if (taskKind === "label_initial_prompt") return lists.labelsInitialPrompt;
  return taskKind === "label_prompter_reply" ? lists.labelsPrompterReply : lists.labelsAssistantReply;
}

/**
 * The labels a review task asks for. Simple mode = the mandatory labels plus `lang_mismatch` (both feed the
 * acceptance score), and `quality` for replies (OA `tree_manager.next_task`): with the defaults that is
 * `spam, lang_mismatch` for prompts and `spam, lang_mismatch, quality` for replies.
 */
export function validLabelsFor(
  taskKind: LabelTaskKind,
  mode: LabelingMode,
  lists: LabelListConfig = DEFAULT_LABEL_LISTS,
): LabelName[] {
  if (mode === "full") return [...fullLabelsFor(taskKind, lists)];
  const extra: LabelName[] = taskKind === "label_initial_prompt" ? ["lang_mismatch"] : ["lang_mismatch", "quality"];
  return [...new Set([...mandatoryLabelsFor(taskKind, lists), ...extra])];
}

export function isLabelName(value: unknown): value is LabelName {
  return typeof value === "string" && (LABEL_NAMES as readonly string[]).includes(value);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Acceptance of a message from its completed reviews: 1 − (mean(spam) + mean(lang_mismatch)), a missing
 * `lang_mismatch` counting as 0 (OA `tree_manager._calculate_acceptance`). A missing `spam` also counts as 0: it is
 * mandatory, so only a reconfigured mandatory list can produce one. No reviews ⇒ 0 (OA got NaN, which never passes).
 */
export function computeAcceptance(reviews: readonly Record<string, number>[]): number {
  if (reviews.length === 0) return 0;
  const spam = mean(reviews.map((labels) => labels.spam ?? 0));
  const langMismatch = mean(reviews.map((labels) => labels.lang_mismatch ?? 0));
  return 1 - (spam + langMismatch);
}

/** Strictly above the threshold: at 3 reviews with threshold 0.6, a single "spam" still passes (0.667). */
export function isAccepted(acceptance: number, threshold: number): boolean {
  return acceptance > threshold;
}
