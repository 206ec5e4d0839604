import { connectDatabase, type Database } from "@/server/db/client";
import { apiClients } from "@/server/db/schema";
import { hashApiKey } from "@/server/domain/api-clients/keys";

/**
 * The original's development keys (spec backend §5, inference §2.1): `1234` for the backend API (a trusted client,
 * as the original website was) and `0000` for the inference API. They exist only in a development database served
 * by the embedded default (`npm run dev`); production keys are created by admins and stored hashed.
 */
export const DEV_API_KEYS = [
  { key: "1234", description: "Development backend key (REST /api/v1)", frontendType: "local", trusted: true },
  { key: "0000", description: "Development inference key (/chats)", frontendType: "local", trusted: false },
] as const;

/** Idempotent: an existing key row is left as it is (an admin may have disabled it). */
export async function seedDevApiKeys(db: Database): Promise<number> {
  const inserted = await db
    .insert(apiClients)
    .values(DEV_API_KEYS.map(({ key, ...client }) => ({ ...client, keyHash: hashApiKey(key), keyPrefix: key })))
    .onConflictDoNothing({ target: apiClients.keyHash })
    .returning({ id: apiClients.id });
  return inserted.length;
}

/** Development runs only: the command is `next dev` on the embedded database. */
export function wantsDevApiKeys(command: readonly string[], embedded: boolean): boolean {
  return embedded && command.includes("next") && command.includes("dev");
}

/** For `scripts/with-db.ts`: seeds the keys into the embedded database at `url` when the command is `next dev`. */
export async function seedDevApiKeysFor(url: string, command: readonly string[]): Promise<void> {
  if (!wantsDevApiKeys(command, true)) return;
  const { db, close } = connectDatabase(url, { max: 1 });
  try {
    if ((await seedDevApiKeys(db)) > 0) console.log("[db] development API keys: 1234 (backend, trusted) and 0000 (inference)");
  } finally {
    await close();
  }
}
