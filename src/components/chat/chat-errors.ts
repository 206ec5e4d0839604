import { errorText } from "@/components/messages/error-text";

type Translate = (key: string) => string;

/** Typed chat errors the user can act on, by `data.appCode` (see src/server/errors.ts). */
const KNOWN: Record<string, string> = {
  CHAT_QUEUE_BUSY: "errors.busy",
  CHAT_TOO_MANY_PENDING: "errors.tooManyPending",
  CHAT_PARENT_NOT_COMPLETE: "errors.parentNotComplete",
  CHAT_MODEL_NOT_FOUND: "errors.modelNotFound",
  CHAT_MODEL_UNAVAILABLE: "errors.modelUnavailable",
  CHAT_TOO_MANY_MESSAGES: "errors.tooManyMessages",
  CHAT_NOT_FOUND: "errors.notFound",
  TOO_MANY_REQUESTS: "errors.rateLimited",
  UNAUTHORIZED: "errors.signedOut",
};

/** A chat error as a sentence in the UI language; other errors keep the server's message (validation, limits). */
export function chatErrorText(t: Translate, error: unknown): string {
  const code = (error as { data?: { appCode?: string } } | null)?.data?.appCode;
  const key = code ? KNOWN[code] : undefined;
  return key ? t(key) : errorText(error, t("errors.generic"));
}
