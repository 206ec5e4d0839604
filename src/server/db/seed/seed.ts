import path from "node:path";
import { count } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { users, type UserRole } from "@/server/db/schema";
import { importOasstTrees, type ImportReport } from "@/server/domain/dataset/import-trees";
import { readLines } from "@/server/domain/dataset/read-lines";

export const DEMO_TREES_FILE = path.join(process.cwd(), "src/server/db/seed/oasst-en-100-trees.jsonl");

/** Demo accounts, reachable with the development sign-in under the same names. */
export const DEMO_USERS: { name: string; role: UserRole }[] = [
  { name: "Ada Admin", role: "admin" },
  { name: "Mo Moderator", role: "moderator" },
  { name: "Alice", role: "general" },
  { name: "Bob", role: "general" },
  { name: "Chen", role: "general" },
];

export type SeedResult = { seeded: false } | { seeded: true; users: number; trees: ImportReport };

/** Fills an empty database with demo users and the 100 oasst demo trees; leaves a used database alone. */
export async function seedDemoData(db: Database, treesFile = DEMO_TREES_FILE): Promise<SeedResult> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return { seeded: false };
  const now = new Date();
  await db.insert(users).values(
    DEMO_USERS.map(({ name, role }) => ({
      name,
      role,
      authMethod: "dev",
      username: name,
      tosAcceptanceDate: now,
    })),
  );
  const trees = await importOasstTrees(db, readLines(treesFile), { origin: "oasst-en-100-trees.jsonl" });
  return { seeded: true, users: DEMO_USERS.length, trees };
}
