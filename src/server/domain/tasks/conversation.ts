import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import type { ConversationMessage } from "./types";

type Row = {
  id: string; text: string; lang: string; role: "prompter" | "assistant"; synthetic: boolean;
  emojis: Record<string, number>; user_id: string | null; user_emojis: string[] | null;
};

export function toConversationMessage(row: Row, userId: string, revealSynthetic = true): ConversationMessage {
  return {
    id: row.id,
    text: row.text,
    lang: row.lang,
    role: row.role,
    synthetic: revealSynthetic ? row.synthetic : null,
    emojis: row.emojis,
    userEmojis: (row.user_emojis ?? []).filter((emoji) => !emoji.startsWith("_")),
    userIsAuthor: row.user_id === userId,
  };
}

const messageColumns = (userId: string) => sql`
  m.id, m.text, m.lang, m.role, m.synthetic, m.emojis, m.user_id,
  (select array_agg(e.emoji) from message_emojis e where e.message_id = m.id and e.user_id = ${userId}) as user_emojis`;

/** The thread from the root down to `messageId` (inclusive), as the contributor sees it. */
export async function loadConversation(tx: DbOrTx, messageId: string, userId: string): Promise<ConversationMessage[]> {
  const rows = await tx.execute<Row & { depth: number }>(sql`
    with recursive chain as (
      select id, parent_id, depth from messages where id = ${messageId}
      union all
      select p.id, p.parent_id, p.depth from messages p join chain c on p.id = c.parent_id
    )
    select ${messageColumns(userId)}, m.depth from chain join messages m on m.id = chain.id order by m.depth`);
  return rows.map((row) => toConversationMessage(row, userId));
}

/**
 * `loadConversation` down to a parent and its accepted, live children (the replies a rank task offers), in one statement (a rank task needs
 * both): the thread root first, then the replies by id.
 */
export async function loadThreadAndRankableReplies(tx: DbOrTx, parentId: string, userId: string): Promise<{ thread: Row[]; replies: Row[] }> {
  const rows = await tx.execute<Row & { part: number }>(sql`
    with recursive chain as (
      select id, parent_id, depth from messages where id = ${parentId}
      union all
      select p.id, p.parent_id, p.depth from messages p join chain c on p.id = c.parent_id
    )
    select * from (
      select ${messageColumns(userId)}, 0 as part, m.depth as position, null::uuid as reply_id from chain join messages m on m.id = chain.id
      union all
      select ${messageColumns(userId)}, 1 as part, 0 as position, m.id as reply_id from messages m
      where m.parent_id = ${parentId} and not m.deleted and m.review_result is true
    ) r order by r.part, r.position, r.reply_id`);
  return { thread: rows.filter((row) => Number(row.part) === 0), replies: rows.filter((row) => Number(row.part) === 1) };
}
