import { describe, expect, it } from "vitest";
import { LABELS_ASSISTANT_REPLY, LABELS_INITIAL_PROMPT } from "@/server/domain/labels/definitions";
import {
  DEFAULT_TREE_MANAGER_CONFIG,
  TreeManagerConfigError,
  loadTreeManagerConfig,
  treeConfigForLanguage,
  type TreeManagerConfig,
} from "./config";

describe("DEFAULT_TREE_MANAGER_CONFIG (OA TreeManagerConfiguration, spec §3.1)", () => {
  it("has OA's defaults", () => {
    expect(DEFAULT_TREE_MANAGER_CONFIG).toEqual({
      maxActiveTrees: 10,
      maxInitialPromptReview: 100,
      maxTreeDepth: 3,
      maxChildrenCount: 3,
      numPrompterReplies: 1,
      goalTreeSize: 12,
      randomGoalTreeSize: false,
      minGoalTreeSize: 5,
      numReviewsInitialPrompt: 3,
      numReviewsReply: 3,
      autoModEnabled: true,
      autoModMaxSkipReply: 25,
      autoModRedFlags: 4,
      pFullLabelingReviewPrompt: 1.0,
      pFullLabelingReviewReplyAssistant: 1.0,
      pFullLabelingReviewReplyPrompter: 0.25,
      acceptanceThresholdInitialPrompt: 0.6,
      acceptanceThresholdReply: 0.6,
      numRequiredRankings: 3,
      pActivateBacklogTree: 0.1,
      minActiveRankingsPerLang: 0,
      labelsInitialPrompt: [...LABELS_INITIAL_PROMPT],
      labelsAssistantReply: [...LABELS_ASSISTANT_REPLY],
      labelsPrompterReply: [...LABELS_INITIAL_PROMPT],
      mandatoryLabelsInitialPrompt: ["spam"],
      mandatoryLabelsAssistantReply: ["spam"],
      mandatoryLabelsPrompterReply: ["spam"],
      rankPrompterReplies: false,
      lonelyChildrenCount: 2,
      pLonelyChildExtension: 0.75,
      recentTasksSpanSec: 300,
      maxPendingTasksPerUser: 8,
      maxPromptLotteryWaiting: 250,
      initPromptDisabledLangs: [],
      // Beyond the original (issue 14): adaptive counts off, so the fixed counts above hold.
      adaptiveReviews: false,
      adaptiveMaxExtraReviews: 2,
      adaptiveReviewAgreement: 0.75,
      adaptiveMaxExtraRankings: 2,
      adaptiveRankingMargin: 0.34,
      pGoldReview: 0.05,
      qualityReliabilityWeighting: false,
    });
  });

  it("is frozen, so the shared defaults cannot be changed at runtime (spec §8.6)", () => {
    expect(Object.isFrozen(DEFAULT_TREE_MANAGER_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_TREE_MANAGER_CONFIG.labelsInitialPrompt)).toBe(true);
    expect(() => {
      (DEFAULT_TREE_MANAGER_CONFIG as { pFullLabelingReviewReplyPrompter: number }).pFullLabelingReviewReplyPrompter = 0.1;
    }).toThrow(TypeError);
  });
});

describe("treeConfigForLanguage", () => {
  const config: TreeManagerConfig = {
    ...DEFAULT_TREE_MANAGER_CONFIG,
    languageOverrides: { de: { goalTreeSize: 8, maxActiveTrees: undefined }, "pt-BR": { maxTreeDepth: 5 } },
  };

  it("applies the overrides of that language over the global values", () => {
    const de = treeConfigForLanguage(config, "de");
    expect(de.goalTreeSize).toBe(8);
    expect(de.maxActiveTrees).toBe(10);
    expect(de).not.toHaveProperty("languageOverrides");
  });

  it("uses the global values for a language without overrides, matching the tag exactly", () => {
    expect(treeConfigForLanguage(config, "en").goalTreeSize).toBe(12);
    expect(treeConfigForLanguage(config, "pt").maxTreeDepth).toBe(3);
    expect(treeConfigForLanguage(config, "pt-BR").maxTreeDepth).toBe(5);
  });
});

describe("loadTreeManagerConfig", () => {
  it("returns the defaults when nothing is set", () => {
    expect(loadTreeManagerConfig({ PATH: "/usr/bin" })).toEqual(DEFAULT_TREE_MANAGER_CONFIG);
  });

  it("reads numbers, booleans and comma lists from TREE_MANAGER__<SNAKE_CASE_NAME>", () => {
    const config = loadTreeManagerConfig({
      TREE_MANAGER__MAX_TREE_DEPTH: "5",
      TREE_MANAGER__GOAL_TREE_SIZE: " 15 ",
      TREE_MANAGER__P_FULL_LABELING_REVIEW_REPLY_PROMPTER: "0.5",
      TREE_MANAGER__AUTO_MOD_ENABLED: "false",
      TREE_MANAGER__RANK_PROMPTER_REPLIES: "YES",
      TREE_MANAGER__INIT_PROMPT_DISABLED_LANGS: "de, fr,,",
      TREE_MANAGER__LABELS_INITIAL_PROMPT: "spam,lang_mismatch,quality",
    });
    expect(config).toMatchObject({
      maxTreeDepth: 5,
      goalTreeSize: 15,
      pFullLabelingReviewReplyPrompter: 0.5,
      autoModEnabled: false,
      rankPrompterReplies: true,
      initPromptDisabledLangs: ["de", "fr"],
      labelsInitialPrompt: ["spam", "lang_mismatch", "quality"],
    });
    expect(config.maxActiveTrees).toBe(10);
  });

  it("treats an empty scalar as unset but an empty list as empty", () => {
    const config = loadTreeManagerConfig({
      TREE_MANAGER__GOAL_TREE_SIZE: "",
      TREE_MANAGER__MANDATORY_LABELS_PROMPTER_REPLY: "",
    });
    expect(config.goalTreeSize).toBe(12);
    expect(config.mandatoryLabelsPrompterReply).toEqual([]);
  });

  it("reads per-language overrides as JSON", () => {
    const config = loadTreeManagerConfig({ TREE_MANAGER__LANGUAGE_OVERRIDES: '{"de":{"goalTreeSize":8}}' });
    expect(treeConfigForLanguage(config, "de").goalTreeSize).toBe(8);
    expect(treeConfigForLanguage(config, "en").goalTreeSize).toBe(12);
  });

  it("applies environment values over a given base and keeps its language overrides", () => {
    const base = { ...DEFAULT_TREE_MANAGER_CONFIG, languageOverrides: { fr: { goalTreeSize: 6 } } };
    const config = loadTreeManagerConfig({ TREE_MANAGER__NUM_REVIEWS_REPLY: "5" }, base);
    expect(config.numReviewsReply).toBe(5);
    expect(treeConfigForLanguage(config, "fr").goalTreeSize).toBe(6);
  });

  it.each([
    ["a word for a number", { TREE_MANAGER__GOAL_TREE_SIZE: "twelve" }, "TREE_MANAGER__GOAL_TREE_SIZE", /twelve/],
    ["a fraction for a count", { TREE_MANAGER__MAX_TREE_DEPTH: "2.5" }, "TREE_MANAGER__MAX_TREE_DEPTH", /int/i],
    ["zero reviews", { TREE_MANAGER__NUM_REVIEWS_REPLY: "0" }, "TREE_MANAGER__NUM_REVIEWS_REPLY", />=\s?1/],
    ["a probability above 1", { TREE_MANAGER__P_ACTIVATE_BACKLOG_TREE: "1.5" }, "TREE_MANAGER__P_ACTIVATE_BACKLOG_TREE", /<=\s?1/],
    ["a word for a boolean", { TREE_MANAGER__AUTO_MOD_ENABLED: "maybe" }, "TREE_MANAGER__AUTO_MOD_ENABLED", /maybe/],
    ["an unknown label", { TREE_MANAGER__LABELS_ASSISTANT_REPLY: "spam,sarcasm" }, "TREE_MANAGER__LABELS_ASSISTANT_REPLY", /sarcasm/],
    ["an empty label list", { TREE_MANAGER__LABELS_PROMPTER_REPLY: " " }, "TREE_MANAGER__LABELS_PROMPTER_REPLY", /at least one/],
    ["a misspelt setting", { TREE_MANAGER__GOAL_TREE_SIZ: "8" }, "TREE_MANAGER__GOAL_TREE_SIZ", /not a tree manager setting/],
  ])("rejects %s, naming the variable", (_case, env, variable, problem) => {
    expect(() => loadTreeManagerConfig(env)).toThrow(TreeManagerConfigError);
    expect(() => loadTreeManagerConfig(env)).toThrow(new RegExp(`^Invalid environment variable ${variable}\\b`));
    expect(() => loadTreeManagerConfig(env)).toThrow(problem);
  });

  it("rejects a minimum goal above the goal", () => {
    expect(() => loadTreeManagerConfig({ TREE_MANAGER__MIN_GOAL_TREE_SIZE: "13" })).toThrow(
      /TREE_MANAGER__MIN_GOAL_TREE_SIZE: must not exceed the goal tree size/,
    );
  });

  it("rejects a mandatory label that the review would not ask for", () => {
    expect(() =>
      loadTreeManagerConfig({
        TREE_MANAGER__LABELS_INITIAL_PROMPT: "spam,quality",
        TREE_MANAGER__MANDATORY_LABELS_INITIAL_PROMPT: "spam,lang_mismatch",
      }),
    ).toThrow(/TREE_MANAGER__MANDATORY_LABELS_INITIAL_PROMPT: lang_mismatch must also be in the label list/);
  });

  it("rejects malformed or inconsistent language overrides", () => {
    const load = (json: string) => () => loadTreeManagerConfig({ TREE_MANAGER__LANGUAGE_OVERRIDES: json });
    expect(load("{de: 8}")).toThrow(/TREE_MANAGER__LANGUAGE_OVERRIDES: must be JSON/);
    expect(load('{"de":{"goalTreeSiz":8}}')).toThrow(/TREE_MANAGER__LANGUAGE_OVERRIDES: .*goalTreeSiz/);
    expect(load('{"de":{"goalTreeSize":-1}}')).toThrow(/TREE_MANAGER__LANGUAGE_OVERRIDES: .* at de\.goalTreeSize/);
    expect(load('{"de":{"goalTreeSize":4}}')).toThrow(/TREE_MANAGER__LANGUAGE_OVERRIDES \(de\): must not exceed/);
  });
});
