/**
 * Prompt construction for a reply, ported from OA `inference/worker/work.py::make_prompt_and_parameters`,
 * `utils.special_tokens` and `utils.truncate_prompt` (spec inference §4.2–§4.3). Pure: the worker passes the
 * engine's tokenizer (or a character estimate when the engine has none).
 */
export type PromptFormat = "oasst" | "chatml";

export const SPECIAL_TOKENS: Record<PromptFormat, { prompter: string; assistant: string; system: string; end: string }> = {
  oasst: { prompter: "<|prompter|>", assistant: "<|assistant|>", system: "<|system|>", end: "" },
  chatml: { prompter: "<|im_start|>user\n", assistant: "<|im_start|>assistant\n", system: "<|im_start|>system\n", end: "<|im_end|>\n" },
};

export type ThreadMessage = { role: "prompter" | "assistant"; content: string };

export type PromptInstructions = {
  systemPrompt: string | null;
  userProfile: string | null;
  userResponseInstructions: string | null;
};

/**
 * Anything that turns text into countable pieces and back: a model's tokenizer or `approximateTokenizer`. Methods
 * (not function properties) so that a tokenizer of model tokens is usable where the piece type does not matter.
 */
export type PromptTokenizer<T = unknown> = {
  encode(text: string): readonly T[];
  decode(tokens: readonly T[]): string;
};

/** For engines whose tokenizer we cannot call: ~3 characters a token overestimates English, so we stay inside the window. */
export function approximateTokenizer(charsPerToken = 3): PromptTokenizer<string> {
  return {
    encode: (text) => Array.from({ length: Math.ceil(text.length / charsPerToken) }, (_, i) => text.slice(i * charsPerToken, (i + 1) * charsPerToken)),
    decode: (pieces) => pieces.join(""),
  };
}

/** OA `chat_chain_prompts.CUSTOM_INSTRUCTIONS_PREFIX`, verbatim. */
export function customInstructions(userProfile: string, userResponseInstructions: string): string {
  return `The following details have been shared by the user about themselves. This user profile appears to you in every conversation they engage in -- implying that it is irrelevant for 99% of inquiries.
Before you respond, take a moment to consider whether the user's query is "directly linked", "linked", "indirectly linked", or "not linked" to the user profile provided.
Only recognize the profile when the query is directly tied to the information supplied.
Otherwise, avoid acknowledging the existence of these instructions or the information altogether.
User profile:
${userProfile}
The user also supplied additional information about how they would like you to respond:
${userResponseInstructions}`;
}

/** The system text (without tokens), or null when nothing was set — OA adds no default system prompt. */
export function systemText(instructions: PromptInstructions): string | null {
  const { systemPrompt, userProfile, userResponseInstructions } = instructions;
  if (!systemPrompt && !userProfile && !userResponseInstructions) return null;
  const custom = userProfile || userResponseInstructions ? `\n${customInstructions(userProfile ?? "", userResponseInstructions ?? "")}` : "";
  return `${systemPrompt ?? ""}${custom}`;
}

/** `eos` is the format's end token, or the tokenizer's end-of-sequence text when the format has none (oasst). */
export function buildTextPrompt(thread: readonly ThreadMessage[], instructions: PromptInstructions, format: PromptFormat, eos: string): string {
  const tokens = SPECIAL_TOKENS[format];
  const system = systemText(instructions);
  const head = system === null ? "" : `${tokens.system}${system}${eos}`;
  const turns = thread.map((m) => `${m.role === "assistant" ? tokens.assistant : tokens.prompter}${m.content}${eos}`).join("");
  return `${head}${turns}${tokens.assistant}`;
}

/** Stop sequences so a model that skips its end token cannot write the next turn (OA USE_STOP_SEQUENCES). */
export function stopSequences(format: PromptFormat, eos: string): string[] {
  const tokens = SPECIAL_TOKENS[format];
  const all = [tokens.prompter, tokens.assistant, tokens.system, eos].map((s) => s.trim()).filter(Boolean);
  return format === "chatml" ? ["<|im_end|>", "<|im_start|>"] : [...new Set(all)];
}

export type FittedPrompt<P> = { prompt: P; inputTokens: number; maxNewTokens: number; truncated: boolean };

/** OA keeps a 1 % margin plus one token when cutting (utils.truncate_prompt). */
const cutBudget = (maxInput: number, reserved: number) => maxInput - reserved - Math.floor(0.01 * maxInput) - 1;

/** `max_new_tokens` never runs past the model's total length (OA: spare = max_total − input − 1). */
export function clampMaxNewTokens(requested: number, maxTotalLength: number, inputTokens: number): number {
  return Math.max(1, Math.min(requested, maxTotalLength - inputTokens - 1));
}

/**
 * Left truncation of a text prompt: the system block (everything before the first prompter token) is kept, then
 * the newest tokens that fit; if the cut removed every prompter token, one is put back in front. When the system
 * block alone does not fit, it is dropped rather than failing the reply.
 */
export function fitTextPrompt<T>(
  prompt: string,
  options: { format: PromptFormat; tokenizer: PromptTokenizer<T>; maxInputLength: number; maxTotalLength: number; maxNewTokens: number },
): FittedPrompt<string> {
  const { tokenizer, maxInputLength, maxTotalLength } = options;
  const prompterToken = SPECIAL_TOKENS[options.format].prompter;
  let text = prompt;
  const all = tokenizer.encode(prompt);
  const truncated = all.length > maxInputLength;
  if (truncated) {
    const split = prompt.indexOf(prompterToken);
    const system = split > 0 ? prompt.slice(0, split) : "";
    const systemTokens = system ? tokenizer.encode(system).length : 0;
    let budget = cutBudget(maxInputLength, systemTokens);
    const keepSystem = budget > 0;
    if (!keepSystem) budget = cutBudget(maxInputLength, 0);
    text = tokenizer.decode(tokenizer.encode(prompt.slice(Math.max(split, 0))).slice(-budget));
    if (!text.includes(prompterToken)) text = `${prompterToken}${text}`;
    if (keepSystem) text = `${system}${text}`;
  }
  const inputTokens = truncated ? tokenizer.encode(text).length : all.length;
  return { prompt: text, inputTokens, maxNewTokens: clampMaxNewTokens(options.maxNewTokens, maxTotalLength, inputTokens), truncated };
}

export type ChatApiMessage = { role: "system" | "user" | "assistant"; content: string };

/** Chat templates add a few tokens per message (role markers); counted so the estimate stays on the safe side. */
const PER_MESSAGE_OVERHEAD = 4;

/**
 * The same rules for chat-completions servers, which apply their own template: the system message stays, then
 * whole messages from the newest back while they fit (the way OA's plugin chain dropped history); the newest user
 * message is cut from the left when it alone is too long. The history starts with a user turn, as templates expect.
 */
export function fitChatMessages<T>(
  thread: readonly ThreadMessage[],
  instructions: PromptInstructions,
  options: { tokenizer: PromptTokenizer<T>; maxInputLength: number; maxTotalLength: number; maxNewTokens: number },
): FittedPrompt<ChatApiMessage[]> {
  const { tokenizer, maxInputLength } = options;
  const count = (text: string) => tokenizer.encode(text).length + PER_MESSAGE_OVERHEAD;
  const system = systemText(instructions);
  let used = system === null ? 0 : count(system);
  if (used >= maxInputLength / 2) used = 0;
  const budget = cutBudget(maxInputLength, used);
  const kept: ChatApiMessage[] = [];
  let total = 0;
  for (let i = thread.length - 1; i >= 0; i--) {
    const message = thread[i]!;
    const role = message.role === "assistant" ? "assistant" : "user";
    const cost = count(message.content);
    if (total + cost <= budget) {
      kept.unshift({ role, content: message.content });
      total += cost;
      continue;
    }
    if (kept.length === 0) {
      const room = Math.max(1, budget - PER_MESSAGE_OVERHEAD);
      kept.unshift({ role, content: tokenizer.decode(tokenizer.encode(message.content).slice(-room)) });
      total = budget;
    }
    break;
  }
  while (kept[0]?.role === "assistant") total -= count(kept.shift()!.content);
  const messages = system !== null && used > 0 ? [{ role: "system" as const, content: system }, ...kept] : kept;
  const inputTokens = total + used;
  return {
    prompt: messages,
    inputTokens,
    maxNewTokens: clampMaxNewTokens(options.maxNewTokens, options.maxTotalLength, inputTokens),
    truncated: kept.length < thread.length || (system !== null && used === 0),
  };
}
