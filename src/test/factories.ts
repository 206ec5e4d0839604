import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import type { Database } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { DEFAULT_TREE_MANAGER_CONFIG, type TreeManagerConfig } from "@/server/domain/trees/config";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { seededRandom } from "@/lib/seeded-random";

let counter = 0;

export async function createTestUser(db: Database, overrides: Partial<typeof users.$inferInsert> = {}) {
  counter++;
  const [user] = await db
    .insert(users)
    .values({ name: `Tester ${counter}`, email: `tester-${counter}-${Date.now()}@example.test`, tosAcceptanceDate: new Date(), ...overrides })
    .returning();
  return user!;
}

/** A tRPC caller as the given web user (or signed out), with optional extra headers such as x-api-key. */
export function callerFor(db: Database, userId: string | null, headers: Record<string, string> = {}, treeDeps?: TreeDeps) {
  return createCaller(createTRPCContext({ db, sessionUserId: userId, headers: new Headers(headers), treeDeps }));
}

export function testTreeDeps(overrides: Partial<TreeManagerConfig> = {}, seed = 42): TreeDeps {
  return { config: { ...DEFAULT_TREE_MANAGER_CONFIG, ...overrides }, random: seededRandom(seed) };
}
