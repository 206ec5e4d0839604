import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Domain functions take either the database or an open transaction. */
export type DbOrTx = Database | Transaction;

export type DatabaseConnection = { db: Database; close: () => Promise<void> };

/** One driver everywhere (DESIGN.md): postgres.js + drizzle, against real PostgreSQL or the embedded server. */
export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseConnection {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Timestamps are always written and read as UTC instants.
    connection: { TimeZone: "UTC", application_name: "open-assistant" },
  });
  const db = drizzle({ client, schema, casing: "snake_case" });
  return { db, close: () => client.end({ timeout: 5 }) };
}
