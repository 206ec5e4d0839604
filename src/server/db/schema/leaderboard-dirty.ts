import { bigserial, index, pgTable, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/**
 * Users whose leaderboard or trollboard figures changed since their rows were last computed. Database triggers
 * append a row in the same transaction as the contribution (a message, a review, a ranking, a rank, an emoji, a
 * label on their message), whatever the write path; `flushDirtyUsers` recomputes exactly those users and deletes
 * the rows it handled. Append-only without a unique key, so concurrent writers never wait on each other here.
 */
export const leaderboardDirtyUsers = pgTable(
  "leaderboard_dirty_users",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    userId: uuid().notNull(),
    createdDate: createdAt(),
  },
  (t) => [index("leaderboard_dirty_users_user_idx").on(t.userId)],
);
