import { describe, expect, it } from "vitest";
import {
  approximateTokenizer, buildTextPrompt, clampMaxNewTokens, customInstructions, fitChatMessages, fitTextPrompt, type PromptTokenizer, stopSequences,
} from "./prompt";

const none = { systemPrompt: null, userProfile: null, userResponseInstructions: null };
/** One token per character: makes the truncation arithmetic visible. */
const chars: PromptTokenizer<string> = { encode: (text) => [...text], decode: (tokens) => tokens.join("") };

describe("buildTextPrompt (OA make_prompt_and_parameters)", () => {
  const thread = [
    { role: "prompter" as const, content: "Hi" },
    { role: "assistant" as const, content: "Hello!" },
    { role: "prompter" as const, content: "Joke?" },
  ];

  it("writes the oasst format with the tokenizer's EOS after each turn and ends with the assistant token", () => {
    expect(buildTextPrompt(thread, none, "oasst", "</s>")).toBe("<|prompter|>Hi</s><|assistant|>Hello!</s><|prompter|>Joke?</s><|assistant|>");
  });

  it("writes ChatML with its own end token", () => {
    expect(buildTextPrompt(thread.slice(0, 1), none, "chatml", "<|im_end|>\n")).toBe("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  });

  it("adds a system block with the system prompt and OA's custom-instructions text", () => {
    const prompt = buildTextPrompt(thread.slice(0, 1), { systemPrompt: "Be brief.", userProfile: "I garden.", userResponseInstructions: null }, "oasst", "</s>");
    expect(prompt).toBe(`<|system|>Be brief.\n${customInstructions("I garden.", "")}</s><|prompter|>Hi</s><|assistant|>`);
    expect(prompt).toContain("User profile:\nI garden.\nThe user also supplied");
  });

  it("uses the format's tokens as stop sequences", () => {
    expect(stopSequences("oasst", "</s>")).toEqual(["<|prompter|>", "<|assistant|>", "<|system|>", "</s>"]);
    expect(stopSequences("chatml", "<|im_end|>\n")).toEqual(["<|im_end|>", "<|im_start|>"]);
  });
});

describe("fitTextPrompt (OA utils.truncate_prompt)", () => {
  it("leaves a short prompt alone and clamps max_new_tokens to the total length", () => {
    const fitted = fitTextPrompt("<|prompter|>Hi<|assistant|>", { format: "oasst", tokenizer: chars, maxInputLength: 100, maxTotalLength: 40, maxNewTokens: 1024 });
    expect(fitted).toEqual({ prompt: "<|prompter|>Hi<|assistant|>", inputTokens: 27, maxNewTokens: 12, truncated: false });
  });

  it("keeps the system block and the newest tokens, putting a prompter token back in front", () => {
    const system = "<|system|>S</s>";
    const prompt = `${system}<|prompter|>${"a".repeat(200)}</s><|assistant|>`;
    const fitted = fitTextPrompt(prompt, { format: "oasst", tokenizer: chars, maxInputLength: 100, maxTotalLength: 200, maxNewTokens: 50 });
    // budget = 100 − 15 (system) − floor(1.0) − 1 = 83 tokens of the tail, then the prompter token and the system block.
    expect(fitted.prompt).toBe(`${system}<|prompter|>${"a".repeat(83 - 17)}</s><|assistant|>`);
    expect(fitted.truncated).toBe(true);
    expect(fitted.inputTokens).toBe(15 + 12 + 83);
    expect(fitted.maxNewTokens).toBe(50);
  });

  it("drops a system block that alone does not fit instead of failing", () => {
    const prompt = `<|system|>${"s".repeat(300)}</s><|prompter|>question</s><|assistant|>`;
    const fitted = fitTextPrompt(prompt, { format: "oasst", tokenizer: chars, maxInputLength: 100, maxTotalLength: 120, maxNewTokens: 100 });
    expect(fitted.prompt.startsWith("<|prompter|>")).toBe(true);
    expect(fitted.prompt.endsWith("question</s><|assistant|>")).toBe(true);
    expect(fitted.inputTokens).toBeLessThanOrEqual(100);
  });

  it("clamps like OA: the Llama-30B example leaves at most 791 new tokens for 1000 input tokens", () => {
    expect(clampMaxNewTokens(1024, 1792, 1000)).toBe(791);
    expect(clampMaxNewTokens(1, 1792, 2000)).toBe(1);
  });
});

describe("fitChatMessages (chat-completions servers)", () => {
  const thread = Array.from({ length: 6 }, (_, i) => ({ role: i % 2 === 0 ? ("prompter" as const) : ("assistant" as const), content: `m${i}`.padEnd(20, ".") }));

  it("keeps everything that fits, with the system message first", () => {
    const fitted = fitChatMessages(thread, { ...none, systemPrompt: "sys" }, { tokenizer: chars, maxInputLength: 1000, maxTotalLength: 2000, maxNewTokens: 64 });
    expect(fitted.prompt.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user", "assistant"]);
    expect(fitted.truncated).toBe(false);
  });

  it("drops the oldest whole messages and starts the history with a user turn", () => {
    const fitted = fitChatMessages(thread.slice(0, 5), none, { tokenizer: chars, maxInputLength: 80, maxTotalLength: 200, maxNewTokens: 64 });
    expect(fitted.prompt.map((m) => m.content.slice(0, 2))).toEqual(["m2", "m3", "m4"]);
    expect(fitted.truncated).toBe(true);
  });

  it("cuts the newest message from the left when it alone is too long", () => {
    const fitted = fitChatMessages([{ role: "prompter", content: `start${"x".repeat(500)}end` }], none, {
      tokenizer: approximateTokenizer(3),
      maxInputLength: 50,
      maxTotalLength: 100,
      maxNewTokens: 64,
    });
    expect(fitted.prompt).toHaveLength(1);
    expect(fitted.prompt[0]!.content.endsWith("end")).toBe(true);
    expect(fitted.prompt[0]!.content.length).toBeLessThan(150);
  });
});
