/**
 * `npm run check:invariants [-- --json]`: checks every tree and queue invariant (src/server/domain/invariants) of
 * the database in DATABASE_URL (through scripts/with-db.ts: the embedded one when unset). Exits 1 when any is
 * violated, so scripts and CI steps can run it after load and fault runs.
 */
import { connectDatabase } from "../src/server/db/client";
import { checkInvariants, formatInvariantReport } from "../src/server/domain/invariants/check-invariants";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (run it as `npm run check:invariants`)");
  process.exit(2);
}
const json = process.argv.includes("--json");
const { db, close } = connectDatabase(url, { max: 2 });
try {
  const report = await checkInvariants(db, { sampleSize: json ? 20 : 5 });
  console.log(json ? JSON.stringify(report, null, 2) : formatInvariantReport(report));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await close();
}
