import { sql } from "drizzle-orm";
import {
  boolean, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid, varchar,
} from "drizzle-orm/pg-core";
import { type AdapterAccountType } from "next-auth/adapters";
import { apiClients } from "./api-clients";
import { createdAt, timestamptz, uuidPk } from "./columns";

/** Website roles (the original kept them in the website's own database). `banned` users are refused everywhere. */
export const userRole = pgEnum("user_role", ["general", "moderator", "admin", "banned"]);
export const USER_ROLES = userRole.enumValues;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * One row per person. Web users are created by Auth.js (name/email/image); users of external API clients
 * (e.g. a Discord bot) are created on first sight, identified by (api client, auth method, username).
 */
export const users = pgTable(
  "users",
  {
    id: uuidPk(),
    /** Display name (Auth.js calls it `name`). */
    name: varchar({ length: 256 }),
    email: varchar({ length: 320 }).unique(),
    emailVerified: timestamptz(),
    image: text(),
    role: userRole().notNull().default("general"),
    /** Disabled users cannot request or submit tasks (moderator action, distinct from a ban). */
    enabled: boolean().notNull().default(true),
    /** Anonymised account: content is kept, identity is gone. */
    deleted: boolean().notNull().default(false),
    notes: varchar({ length: 1024 }).notNull().default(""),
    tosAcceptanceDate: timestamptz(),
    showOnLeaderboard: boolean().notNull().default(true),
    /** Start of the current streak (the original's `streak_last_day_date`); null once the streak was reset. */
    streakLastDayDate: timestamptz().defaultNow(),
    streakDays: integer(),
    lastActivityDate: timestamptz().notNull().defaultNow(),
    createdAt: createdAt(),
    /** For users that an API client acts for: the owning client and its own user name and auth method. */
    apiClientId: uuid().references(() => apiClients.id),
    username: varchar({ length: 128 }),
    authMethod: varchar({ length: 32 }).notNull().default("web"),
  },
  (t) => [
    // One user per (client, auth method, user name); web users (no user name) are keyed by their Auth.js id.
    uniqueIndex("users_client_identity_uq")
      .on(sql`coalesce(${t.apiClientId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.authMethod, t.username)
      .where(sql`${t.username} is not null`),
    index("users_last_activity_idx").on(t.lastActivityDate),
    // The few users left off the leaderboards (`UNRANKED_USER` in leaderboard/read-leaderboard.ts, the same
    // predicate word for word, so the planner uses this index): ranks are counted over all rows minus theirs.
    index("users_unranked_idx")
      .on(t.id)
      .where(sql`not (${t.showOnLeaderboard} and ${t.enabled} and not ${t.deleted} and ${t.role} <> 'banned')`),
  ],
);

export const accounts = pgTable(
  "accounts",
  {
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    type: varchar({ length: 32 }).$type<AdapterAccountType>().notNull(),
    provider: varchar({ length: 64 }).notNull(),
    providerAccountId: varchar({ length: 256 }).notNull(),
    refresh_token: text(),
    access_token: text(),
    expires_at: integer(),
    token_type: varchar({ length: 64 }),
    scope: text(),
    id_token: text(),
    session_state: text(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

export const sessions = pgTable("sessions", {
  sessionToken: varchar({ length: 255 }).primaryKey(),
  userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
  expires: timestamptz().notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: varchar({ length: 320 }).notNull(),
    token: varchar({ length: 255 }).notNull(),
    expires: timestamptz().notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);
