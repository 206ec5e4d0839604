import { boolean, pgTable, varchar } from "drizzle-orm/pg-core";
import { createdAt, uuidPk } from "./columns";

/**
 * External clients (bots, scripts) that call the API with an `x-api-key` header. Only a SHA-256 of the key is
 * stored; `keyPrefix` lets an admin recognise a key without revealing it.
 */
export const apiClients = pgTable("api_clients", {
  id: uuidPk(),
  keyHash: varchar({ length: 64 }).notNull().unique(),
  keyPrefix: varchar({ length: 12 }).notNull(),
  description: varchar({ length: 256 }).notNull(),
  adminEmail: varchar({ length: 320 }),
  enabled: boolean().notNull().default(true),
  /** Trusted clients may call moderator-level operations (the original's "trusted" API clients). */
  trusted: boolean().notNull().default(false),
  /** `web`, `import`, `discord`, … */
  frontendType: varchar({ length: 64 }).notNull(),
  createdAt: createdAt(),
});
