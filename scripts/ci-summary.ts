/**
 * Sums the JSON reports of every suite CI ran and prints the one closing line CI reads: `N passed, N failed`.
 * A report that is missing (its suite crashed before writing it) counts as one failure.
 */
import { existsSync, readFileSync } from "node:fs";

type Counts = { passed: number; failed: number; skipped: number };

function vitestCounts(file: string): Counts {
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number;
  };
  // A test file that fails to load has no failed tests but does fail.
  const brokenFiles = report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0;
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file: string): Counts {
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
}

/** Steps that are not test runners (lint, typecheck, benchmark harness checks): one `PASS name` or `FAIL name` a line. */
function checkCounts(file: string): Counts {
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  for (const line of lines.filter((l) => l.startsWith("FAIL "))) console.log(`  failed step: ${line.slice(5)}`);
  return { passed: lines.filter((l) => l.startsWith("PASS ")).length, failed: lines.filter((l) => l.startsWith("FAIL ")).length, skipped: 0 };
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
for (const argument of process.argv.slice(2)) {
  const [kind, file] = argument.split("=") as [string, string];
  let counts: Counts;
  if (!existsSync(file)) {
    console.log(`${file}: missing (the suite did not finish)`);
    counts = { passed: 0, failed: 1, skipped: 0 };
  } else {
    counts = kind === "playwright" ? playwrightCounts(file) : kind === "checks" ? checkCounts(file) : vitestCounts(file);
    console.log(`${file}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
