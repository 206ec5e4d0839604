import { z } from "zod";
import type { messages } from "@/server/db/schema";

/** Who is looking: moderators (and trusted API clients) also see deleted and spam messages and authors' ids. */
export type Viewer = { userId: string; isModerator: boolean };

export type MessageRow = typeof messages.$inferSelect;
/** A message row with its author's public name, as the read queries return it. */
export type MessageWithAuthor = { message: MessageRow; authorName: string | null; authorDeleted: boolean | null };

/**
 * A message as a contributor sees it (spec backend §5 Message JSON, website §5.6). Internal fields (task, API client,
 * frontend id) never leave the server; other users are shown by display name only.
 */
export const ZMessage = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  messageTreeId: z.uuid(),
  role: z.enum(["prompter", "assistant"]),
  text: z.string(),
  lang: z.string(),
  createdDate: z.date(),
  depth: z.number().int(),
  childrenCount: z.number().int(),
  reviewCount: z.number().int(),
  /** null = undecided, true = accepted, false = rejected as spam. */
  reviewResult: z.boolean().nullable(),
  rankingCount: z.number().int(),
  /** Consensus rank among siblings, 0 = best. */
  rank: z.number().int().nullable(),
  synthetic: z.boolean(),
  modelName: z.string().nullable(),
  edited: z.boolean(),
  deleted: z.boolean(),
  /** Emoji counts; the system codes (`_skip_*`) only for moderators. */
  emojis: z.record(z.string(), z.number().int()),
  /** The viewer's own emojis on this message. */
  userEmojis: z.array(z.string()),
  userIsAuthor: z.boolean(),
  authorName: z.string().nullable(),
  /** Only for moderators (to open the author's page) and for the author themselves. */
  authorId: z.uuid().nullable(),
});
export type MessageView = z.infer<typeof ZMessage>;

export const isSystemEmoji = (code: string) => code.startsWith("_");

/**
 * Another user's public name: the chosen display name, never derived from the email (unlike the profile's own
 * fallback), and a fixed text for anonymised accounts (spec §4.1).
 */
export function publicAuthorName(userId: string | null, name: string | null, deleted: boolean | null): string | null {
  if (!userId) return null;
  if (deleted) return "Deleted User";
  return name?.trim() || `user-${userId.slice(0, 8)}`;
}

export function toMessageView(row: MessageWithAuthor, viewer: Viewer, userEmojis: readonly string[]): MessageView {
  const { message } = row;
  const userIsAuthor = message.userId !== null && message.userId === viewer.userId;
  const emojis = Object.fromEntries(
    Object.entries(message.emojis).filter(([code, count]) => count > 0 && (viewer.isModerator || !isSystemEmoji(code))),
  );
  return {
    id: message.id,
    parentId: message.parentId,
    messageTreeId: message.messageTreeId,
    role: message.role,
    text: message.text,
    lang: message.lang,
    createdDate: message.createdDate,
    depth: message.depth,
    childrenCount: message.childrenCount,
    reviewCount: message.reviewCount,
    reviewResult: message.reviewResult,
    rankingCount: message.rankingCount,
    rank: message.rank,
    synthetic: message.synthetic,
    modelName: message.modelName,
    edited: message.edited,
    deleted: message.deleted,
    emojis,
    userEmojis: userEmojis.filter((code) => viewer.isModerator || !isSystemEmoji(code)),
    userIsAuthor,
    authorName: publicAuthorName(message.userId, row.authorName, row.authorDeleted),
    authorId: viewer.isModerator || userIsAuthor ? message.userId : null,
  };
}

/** Non-moderators cannot open deleted messages (website §5.6: deleted messages appear only for moderators). */
export function canOpen(message: Pick<MessageRow, "deleted">, viewer: Viewer): boolean {
  return viewer.isModerator || !message.deleted;
}

/** Trees, children and lists additionally leave out rejected (spam) messages for non-moderators. */
export function isListedFor(message: Pick<MessageRow, "deleted" | "reviewResult">, viewer: Viewer): boolean {
  return viewer.isModerator || (!message.deleted && message.reviewResult !== false);
}
