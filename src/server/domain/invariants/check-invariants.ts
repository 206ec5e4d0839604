import { sql } from "drizzle-orm";
import type { DbOrTx, Transaction } from "@/server/db/client";
import { INVARIANT_CHECKS, type InvariantCheck } from "./checks";

export type InvariantResult = {
  name: string;
  rule: string;
  /** Rows violating the rule (0: it holds). */
  violations: number;
  /** Up to `sampleSize` violating rows, for a person to look at. */
  samples: Record<string, unknown>[];
};

export type InvariantReport = {
  ok: boolean;
  /** Total violating rows over all checks. */
  violations: number;
  checks: InvariantResult[];
  tookMs: number;
};

const isTransaction = (db: DbOrTx): db is Transaction => "rollback" in db;

/** Runs one check: how many rows violate it, and a few of them. */
async function runCheck(db: DbOrTx, check: InvariantCheck, sampleSize: number): Promise<InvariantResult> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select count(*) over ()::int as violation_total, v.* from (${check.query}) v limit ${sampleSize}`);
  const samples = [...rows].map(({ violation_total: _total, ...row }) => row);
  return { name: check.name, rule: check.rule, violations: Number(rows[0]?.violation_total ?? 0), samples };
}

/**
 * Checks every invariant of the stored trees and queues (see `checks.ts`) in one read-only snapshot. Fault and
 * load tests call it after their runs; `npm run check:invariants` runs it against any database.
 */
export async function checkInvariants(db: DbOrTx, options: { sampleSize?: number; only?: readonly string[] } = {}): Promise<InvariantReport> {
  const started = performance.now();
  const sampleSize = options.sampleSize ?? 5;
  const checks = INVARIANT_CHECKS.filter((check) => !options.only || options.only.includes(check.name));
  const run = async (tx: DbOrTx) => {
    const results: InvariantResult[] = [];
    for (const check of checks) results.push(await runCheck(tx, check, sampleSize));
    return results;
  };
  // One repeatable-read snapshot so the checks see one consistent state while the app keeps writing.
  // A transaction passed in (a test planting a violation) is checked as it is.
  const results = isTransaction(db) ? await run(db) : await db.transaction(run, { isolationLevel: "repeatable read", accessMode: "read only" });
  const violations = results.reduce((sum, result) => sum + result.violations, 0);
  return { ok: violations === 0, violations, checks: results, tookMs: Math.round(performance.now() - started) };
}

/** The report as a few lines for a person (CLI, test failure messages). */
export function formatInvariantReport(report: InvariantReport): string {
  const lines = report.checks.map((check) =>
    check.violations === 0
      ? `  ✓ ${check.name}`
      : `  ✗ ${check.name}: ${check.violations} violation(s) — ${check.rule}\n${check.samples.map((sample) => `      ${JSON.stringify(sample)}`).join("\n")}`,
  );
  return `${report.ok ? "All invariants hold" : `${report.violations} invariant violation(s)`} (${report.checks.length} checks, ${report.tookMs} ms)\n${lines.join("\n")}`;
}
