import { index, jsonb, pgTable, uuid, varchar } from "drizzle-orm/pg-core";
import { apiClients } from "./api-clients";
import { users } from "./auth";
import { createdAt, uuidPk } from "./columns";

/** Write-only audit trail of contributions (spec backend §1.15). */
export const journal = pgTable(
  "journal",
  {
    id: uuidPk(),
    createdDate: createdAt(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    /** No foreign key: the audit trail outlives purged messages. */
    messageId: uuid(),
    apiClientId: uuid().references(() => apiClients.id),
    eventType: varchar({ length: 200 }).notNull(),
    eventPayload: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("journal_user_created_idx").on(t.userId, t.createdDate)],
);
