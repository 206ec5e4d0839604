import { and, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { journal, tasks, TIME_FRAMES, trollStats, userStats, users, USER_ROLES } from "@/server/db/schema";
import { cursorTimestamp, decodeCursor, encodeCursor } from "@/server/domain/messages/pages";
import { ranksOf } from "@/server/domain/leaderboard/read-leaderboard";
import { toModeratedUser, ZModeratedUser } from "@/server/domain/moderation/users";
import { getUserByIdOrThrow } from "@/server/domain/users/queries";

export const ZAdminUserRow = ZModeratedUser.extend({ username: z.string().nullable() });
export type AdminUserRow = z.infer<typeof ZAdminUserRow>;
export const ZUserSearch = z.object({
  q: z.string().trim().max(256).default(""),
  authMethod: z.string().trim().min(1).max(32).optional(),
  role: z.enum(USER_ROLES).optional(),
  /** Where the previous page ended (keyset on creation time and id, never an OFFSET). */
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type UserSearch = z.input<typeof ZUserSearch>;
export const ZUserSearchPage = z.object({ items: z.array(ZAdminUserRow), hasMore: z.boolean(), nextCursor: z.string().nullable() });

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * A uuid prefix ("3fa8", "3fa85f64-57") becomes a range on the primary key, so id search uses the index instead of
 * casting every id to text.
 */
export function uuidPrefixRange(prefix: string): [string, string] | null {
  const hex = prefix.toLowerCase().replaceAll("-", "");
  if (hex.length < 4 || hex.length > 32 || !/^[0-9a-f]+$/.test(hex)) return null;
  const format = (digits: string) => `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
  return [format(hex.padEnd(32, "0")), format(hex.padEnd(32, "f"))];
}

/**
 * Users by display name, username or email (prefix, case-insensitive; btree ranges of migration admin_list_indexes)
 * or by id prefix; newest accounts first, keyset-paginated on (created_at, id) — page 50 costs what page 1 does.
 */
export async function searchUsers(db: DbOrTx, input: UserSearch) {
  const search = ZUserSearch.parse(input);
  const q = search.q.toLowerCase();
  const cursor = search.cursor ? decodeCursor(search.cursor) : null;
  const conditions: (SQL | undefined)[] = [
    search.authMethod ? eq(users.authMethod, search.authMethod) : undefined,
    search.role ? eq(users.role, search.role) : undefined,
    cursor ? sql`(${users.createdAt}, ${users.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
  ];
  if (q) {
    const pattern = `${escapeLike(q)}%`;
    const range = uuidPrefixRange(q);
    conditions.push(or(
      sql`lower(${users.name}) like ${pattern}`,
      sql`lower(${users.username}) like ${pattern}`,
      sql`lower(${users.email}) like ${pattern}`,
      range ? sql`${users.id} between ${range[0]}::uuid and ${range[1]}::uuid` : undefined,
    ));
  }
  const rows = await db
    .select({ user: users, at: cursorTimestamp(users.createdAt) })
    .from(users)
    .where(and(...conditions))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  const hasMore = rows.length > search.limit;
  return {
    items: page.map(({ user }) => ({ ...toModeratedUser(user), username: user.username })),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor({ id: last.user.id, at: last.at }) : null,
  };
}

const ZFrameStats = z.object({ timeFrame: z.enum(TIME_FRAMES), leaderScore: z.number().int(), rank: z.number().int().nullable(), trollScore: z.number().int(), redFlags: z.number().int() });
export const ZUserDetail = z.object({
  user: ZAdminUserRow,
  streakDays: z.number().int().nullable(),
  stats: z.array(ZFrameStats),
  tasks: z.array(z.object({ id: z.uuid(), type: z.string(), createdDate: z.date(), done: z.boolean(), skipped: z.boolean() })),
  reportsAgainst: z.number().int(),
});
export type UserDetail = z.infer<typeof ZUserDetail>;

/** Everything a moderator checks before acting on a user: stats per time frame, troll score, streak, recent tasks. */
export async function getUserDetail(db: DbOrTx, userId: string): Promise<UserDetail> {
  const user = await getUserByIdOrThrow(db, userId);
  const [leader, troll, ranks, recentTasks, reports] = await Promise.all([
    db.select().from(userStats).where(eq(userStats.userId, userId)),
    db.select().from(trollStats).where(eq(trollStats.userId, userId)),
    // The rank the leaderboard shows right now (ranks are computed when read).
    ranksOf(db, userId),
    db.select({ id: tasks.id, type: tasks.type, createdDate: tasks.createdDate, done: tasks.done, skipped: tasks.skipped })
      .from(tasks).where(eq(tasks.userId, userId)).orderBy(desc(tasks.createdDate)).limit(20),
    db.execute<{ count: number }>(sql`
      select count(*)::int as count from text_labels l join messages m on m.id = l.message_id
      where m.user_id = ${userId} and l.task_id is null`),
  ]);
  const stats = TIME_FRAMES.map((timeFrame, index) => {
    const l = leader.find((row) => row.timeFrame === timeFrame);
    const t = troll.find((row) => row.timeFrame === timeFrame);
    return { timeFrame, leaderScore: l?.leaderScore ?? 0, rank: ranks[index] ?? null, trollScore: t?.trollScore ?? 0, redFlags: t?.redFlags ?? 0 };
  });
  return {
    user: { ...toModeratedUser(user), username: user.username },
    streakDays: user.streakDays,
    stats,
    tasks: recentTasks.map((task) => ({ ...task, type: String(task.type) })),
    reportsAgainst: reports[0]?.count ?? 0,
  };
}

/** Ids of journal events about a user (their own contributions, or actions taken on them). */
export const journalAboutUser = (userId: string) =>
  or(eq(journal.userId, userId), sql`${journal.eventPayload}->>'userId' = ${userId}`);
