import { describe, expect, it } from "vitest";
import {
  DEFAULT_LABEL_LISTS,
  FREE_LABELING_LABELS,
  LABEL_DEFINITIONS,
  LABEL_NAMES,
  LABELS_ASSISTANT_REPLY,
  LABELS_INITIAL_PROMPT,
  LABELS_PROMPTER_REPLY,
  REPORT_LABELS,
  computeAcceptance,
  isAccepted,
  isLabelName,
  mandatoryLabelsFor,
  validLabelsFor,
} from "./definitions";

/** Three reviews with the given spam and lang_mismatch answers (spec §3.3 examples). */
function reviews(spam: number[], langMismatch?: number[]): Record<string, number>[] {
  return spam.map((value, i): Record<string, number> => (langMismatch ? { spam: value, lang_mismatch: langMismatch[i]! } : { spam: value }));
}

describe("label table (spec §2.4)", () => {
  it("defines every OA TextLabel with its widget", () => {
    expect(Object.keys(LABEL_DEFINITIONS)).toEqual([...LABEL_NAMES]);
    const byWidget = (widget: string) => LABEL_NAMES.filter((name) => LABEL_DEFINITIONS[name].widget === widget);
    expect(byWidget("yes_no")).toEqual(["spam", "fails_task"]);
    expect(byWidget("flag")).toEqual([
      "lang_mismatch", "pii", "not_appropriate", "hate_speech", "sexual_content", "moral_judgement", "political_content",
    ]);
    expect(byWidget("likert")).toEqual(["quality", "toxicity", "humor", "helpfulness", "creativity", "violence"]);
  });

  it("gives each label its own translation keys in the labels namespace", () => {
    expect(LABEL_DEFINITIONS.spam).toMatchObject({ displayKey: "labels.spam", helpKey: "labels.help.spam" });
    const keys = LABEL_NAMES.flatMap((name) => [LABEL_DEFINITIONS[name].displayKey, LABEL_DEFINITIONS[name].helpKey]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("draws the scales whose high end is undesirable inverted", () => {
    expect(LABEL_NAMES.filter((name) => LABEL_DEFINITIONS[name].inverted)).toEqual(["toxicity", "violence"]);
  });

  it("keeps OA's exact list orders", () => {
    const promptList = [
      "spam", "lang_mismatch", "quality", "creativity", "humor", "toxicity", "violence",
      "not_appropriate", "pii", "hate_speech", "sexual_content",
    ];
    expect(LABELS_INITIAL_PROMPT).toEqual(promptList);
    expect(LABELS_PROMPTER_REPLY).toEqual(promptList);
    expect(LABELS_ASSISTANT_REPLY).toEqual([
      "spam", "lang_mismatch", "fails_task", "quality", "helpfulness", "creativity", "humor", "toxicity", "violence",
      "not_appropriate", "pii", "hate_speech", "sexual_content",
    ]);
    expect(REPORT_LABELS).toEqual([
      "spam", "not_appropriate", "pii", "hate_speech", "sexual_content", "moral_judgement", "political_content",
      "toxicity", "violence", "quality",
    ]);
  });

  it("lets free labelling use everything except fails_task", () => {
    expect(FREE_LABELING_LABELS).toHaveLength(LABEL_NAMES.length - 1);
    expect(FREE_LABELING_LABELS).not.toContain("fails_task");
  });

  it("recognises label names", () => {
    expect(isLabelName("lang_mismatch")).toBe(true);
    expect(isLabelName("excessive_harm")).toBe(false);
    expect(isLabelName(3)).toBe(false);
  });
});

describe("validLabelsFor", () => {
  it("asks the whole list in full mode", () => {
    expect(validLabelsFor("label_initial_prompt", "full")).toEqual(LABELS_INITIAL_PROMPT);
    expect(validLabelsFor("label_prompter_reply", "full")).toEqual(LABELS_PROMPTER_REPLY);
    expect(validLabelsFor("label_assistant_reply", "full")).toEqual(LABELS_ASSISTANT_REPLY);
  });

  it("asks only what acceptance needs in simple mode, plus quality for replies", () => {
    expect(validLabelsFor("label_initial_prompt", "simple")).toEqual(["spam", "lang_mismatch"]);
    expect(validLabelsFor("label_prompter_reply", "simple")).toEqual(["spam", "lang_mismatch", "quality"]);
    expect(validLabelsFor("label_assistant_reply", "simple")).toEqual(["spam", "lang_mismatch", "quality"]);
  });

  it("always includes the mandatory labels, which default to spam", () => {
    expect(mandatoryLabelsFor("label_assistant_reply")).toEqual(["spam"]);
    for (const kind of ["label_initial_prompt", "label_prompter_reply", "label_assistant_reply"] as const) {
      for (const mode of ["simple", "full"] as const) {
        expect(validLabelsFor(kind, mode)).toEqual(expect.arrayContaining([...mandatoryLabelsFor(kind)]));
      }
    }
  });

  it("follows configured lists without duplicating a mandatory label", () => {
    const lists = {
      ...DEFAULT_LABEL_LISTS,
      labelsAssistantReply: ["spam", "helpfulness"] as const,
      mandatoryLabelsAssistantReply: ["spam", "quality"] as const,
    };
    expect(validLabelsFor("label_assistant_reply", "full", lists)).toEqual(["spam", "helpfulness"]);
    expect(validLabelsFor("label_assistant_reply", "simple", lists)).toEqual(["spam", "quality", "lang_mismatch"]);
  });

  it("returns a fresh array, so callers cannot edit the shared lists", () => {
    validLabelsFor("label_initial_prompt", "full").push("fails_task");
    expect(LABELS_INITIAL_PROMPT).not.toContain("fails_task");
  });
});

describe("computeAcceptance = 1 − (mean(spam) + mean(lang_mismatch)) (spec §3.3)", () => {
  const threshold = 0.6;

  it("accepts one spam vote out of three (0.667)", () => {
    const acceptance = computeAcceptance(reviews([0, 0, 1]));
    expect(acceptance).toBeCloseTo(2 / 3, 10);
    expect(isAccepted(acceptance, threshold)).toBe(true);
  });

  it("rejects two spam votes out of three (0.333)", () => {
    const acceptance = computeAcceptance(reviews([0, 1, 1]));
    expect(acceptance).toBeCloseTo(1 / 3, 10);
    expect(isAccepted(acceptance, threshold)).toBe(false);
  });

  it("adds spam and wrong-language votes (0.333)", () => {
    const acceptance = computeAcceptance(reviews([0, 0, 1], [0, 0, 1]));
    expect(acceptance).toBeCloseTo(1 / 3, 10);
    expect(isAccepted(acceptance, threshold)).toBe(false);
  });

  it("accepts one wrong-language vote without spam (0.667)", () => {
    const acceptance = computeAcceptance(reviews([0, 0, 0], [1, 0, 0]));
    expect(acceptance).toBeCloseTo(2 / 3, 10);
    expect(isAccepted(acceptance, threshold)).toBe(true);
  });

  it("counts a missing lang_mismatch as 0 and averages fractional answers", () => {
    expect(computeAcceptance([{ spam: 0.5 }, { spam: 0, lang_mismatch: 0.5 }])).toBeCloseTo(0.5, 10);
  });

  it("accepts nothing without reviews", () => {
    expect(computeAcceptance([])).toBe(0);
    expect(isAccepted(computeAcceptance([]), threshold)).toBe(false);
  });

  it("requires strictly more than the threshold", () => {
    expect(isAccepted(0.6, 0.6)).toBe(false);
    expect(isAccepted(0.6000001, 0.6)).toBe(true);
  });
});
