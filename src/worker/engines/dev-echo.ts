import { approximateTokenizer, type ChatApiMessage } from "@/server/domain/chat/prompt";
import type { Engine, EngineRequest, FinishReason } from "./engine";

/**
 * "dev-echo (development only)": an engine that needs no weights, so the chat answers on the very first run
 * (`npm run dev` starts a worker with it). It is not a model: it streams a clearly labelled, deterministic reply that
 * quotes and summarises the user's last message — enough to try streaming, stop, regenerate, drafts, branches and
 * votes. The same prompt and seed always give the same reply; a regeneration (a new seed) gives a visibly different
 * draft. It serves only the `dev-echo` model config, and real engines never serve that one.
 */
export { DEV_ECHO_MODEL } from "@/server/domain/chat/model-configs";

export const DEV_ECHO_LABEL = "dev-echo (development only)";

const STOP_WORDS = new Set(
  "a an and are as at be but by can do for from has have how i if in is it its me my no not of on or so that the this to was what when where which who why will with you your".split(" "),
);

function lastUserMessage(request: EngineRequest): { text: string; turns: number } {
  if (request.prompt.kind === "chat") {
    const messages: ChatApiMessage[] = request.prompt.messages;
    const users = messages.filter((message) => message.role === "user");
    return { text: users.at(-1)?.content ?? "", turns: messages.filter((message) => message.role !== "system").length };
  }
  return { text: request.prompt.text, turns: 1 };
}

/** The reply as text: a label, the quote, and a summary (first sentence, size, most frequent words). */
export function devEchoReply(request: Pick<EngineRequest, "prompt" | "seed">): string {
  const { text, turns } = lastUserMessage(request as EngineRequest);
  const words = text.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  const counts = new Map<string, number>();
  for (const word of words) {
    const key = word.toLowerCase();
    if (key.length > 2 && !STOP_WORDS.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keywords = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([word]) => word);
  const firstSentence = (text.trim().split(/(?<=[.!?。！？])\s+|\n/u)[0] ?? "").slice(0, 160);
  const quote = text.trim().length > 280 ? `${text.trim().slice(0, 279)}…` : text.trim();
  const lines = [
    `**${DEV_ECHO_LABEL}** — not a language model: it quotes and summarises your message, so the chat can be tried without one.`,
    "",
    ...quote.split("\n").map((line) => `> ${line}`),
    "",
    `- **Length:** ${words.length} word${words.length === 1 ? "" : "s"}, ${[...text].length} characters (message ${Math.ceil(turns / 2)} of this conversation)`,
    `- **First sentence:** ${firstSentence || "(empty)"}`,
    `- **Key words:** ${keywords.length > 0 ? keywords.join(", ") : "(none)"}`,
    `- **Draft:** ${(request.seed % 9000) + 1000}`,
    "",
    "To chat with a real model, start a worker for it — see “Serving a real model” in the README.",
  ];
  return lines.join("\n");
}

/** Splits text into word-sized pieces that keep their whitespace, as a tokenizer's stream would. */
function pieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

export class DevEchoEngine implements Engine {
  readonly kind = "dev-echo";
  readonly promptKind = "chat";
  readonly eosText = null;
  readonly contextSize = null;
  readonly tokenizer = approximateTokenizer();

  /** `tokenDelayMs`: pause between pieces, so streaming and stop can be seen. */
  constructor(private readonly options: { tokenDelayMs: number }) {}

  async *generate(request: EngineRequest): AsyncGenerator<string, FinishReason, undefined> {
    const all = pieces(devEchoReply(request));
    for (let index = 0; index < all.length; index++) {
      if (request.signal.aborted) return "aborted";
      if (index >= request.maxNewTokens) return "length";
      if (index > 0 && this.options.tokenDelayMs > 0) await sleep(this.options.tokenDelayMs, request.signal);
      if (request.signal.aborted) return "aborted";
      yield all[index]!;
    }
    return "eos";
  }

  async close(): Promise<void> {}
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
