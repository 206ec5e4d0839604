import { errorText } from "@/components/messages/error-text";

type Translate = (key: string, values?: Record<string, string | number>) => string;
type TypedError = { data?: { appCode?: string; details?: Record<string, unknown> | null } | null } | null;

/**
 * A moderation error as a sentence in the UI language: a restore refused because the parent is full says so with
 * the tree's limit (UNDELETE_PARENT_FULL, src/server/errors.ts); anything else keeps the server's typed message.
 * `t` is `useTranslations("messages")`.
 */
export function moderationErrorText(t: Translate, error: unknown): string {
  const data = (error as TypedError)?.data;
  if (data?.appCode === "UNDELETE_PARENT_FULL") {
    const max = data.details?.maxReplies;
    return t("errors.undeleteParentFull", { max: typeof max === "number" ? max : 0 });
  }
  return errorText(error, t("errors.generic"));
}
