import path from "node:path";
import { count } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { users, type UserRole } from "@/server/db/schema";
import { importOasstTrees, type ImportReport } from "@/server/domain/dataset/import-trees";
import { type ExportMessageTree, ZExportMessageTree } from "@/server/domain/dataset/oasst-schema";
import { readLines } from "@/server/domain/dataset/read-lines";
import { type TreeManagerConfig, treeConfigForLanguage } from "@/server/domain/trees/config";
import { getRuntimeTreeDeps } from "@/server/domain/trees/runtime";
import { planDemoCampaign } from "./demo-campaign";
import { streakColumns, writeDemoCampaignState } from "./demo-history";

export const DEMO_TREES_FILE = path.join(process.cwd(), "src/server/db/seed/oasst-en-100-trees.jsonl");

/** Demo accounts, reachable with the development sign-in under the same names; `streak` = days in a row. */
export const DEMO_USERS: { name: string; role: UserRole; streak: number }[] = [
  { name: "Ada Admin", role: "admin", streak: 3 },
  { name: "Mo Moderator", role: "moderator", streak: 12 },
  { name: "Alice", role: "general", streak: 6 },
  { name: "Bob", role: "general", streak: 1 },
  { name: "Chen", role: "general", streak: 21 },
];

export type SeedResult = { seeded: false } | { seeded: true; users: number; trees: ImportReport };

async function readFixture(file: string): Promise<ExportMessageTree[]> {
  const trees: ExportMessageTree[] = [];
  for await (const line of readLines(file)) if (line.trim()) trees.push(ZExportMessageTree.parse(JSON.parse(line)));
  return trees;
}

/**
 * Fills an empty database with the demo users and a campaign in progress made from the 100 oasst demo trees
 * (`demo-campaign.ts`): trees in every state, so a new contributor finds every kind of task, and demo users with
 * a history. Messages go through the dataset importer; reviews and rankings through `writeDemoCampaignState`.
 * Leaves a used database alone.
 */
export async function seedDemoData(
  db: Database,
  treesFile = DEMO_TREES_FILE,
  config: TreeManagerConfig = getRuntimeTreeDeps().config,
  now: Date = new Date(),
): Promise<SeedResult> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return { seeded: false };
  const inserted = await db
    .insert(users)
    .values(DEMO_USERS.map(({ name, role, streak }) => ({
      name, role, authMethod: "dev", username: name, tosAcceptanceDate: now, ...streakColumns(streak, now),
    })))
    .returning({ id: users.id, name: users.name });
  const ids = DEMO_USERS.map(({ name }) => inserted.find((row) => row.name === name)!.id);
  const plan = planDemoCampaign(await readFixture(treesFile), ids, now, treeConfigForLanguage(config, "en"));
  const trees = await importOasstTrees(db, plan.trees.map((tree) => JSON.stringify(tree)), { origin: "oasst-en-100-trees.jsonl" });
  await writeDemoCampaignState(db, plan, config);
  return { seeded: true, users: DEMO_USERS.length, trees };
}
