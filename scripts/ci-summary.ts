/**
 * Sums the JSON reports of every suite CI ran and prints the one closing line CI reads: `N passed, N failed`.
 * A report that is missing (its suite crashed before writing it) counts as one failure. Every failed test is named
 * with the first lines of its error just above that line, so the end of a CI log says what broke.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

type Counts = { passed: number; failed: number; skipped: number };

/** The first lines of an error message, without terminal colours, indented under the test's name. */
function excerpt(message: string | undefined): string {
  const plain = (message ?? "").replace(/\u001b\[[0-9;]*m/g, "");
  return plain.split("\n").filter((line) => line.trim()).slice(0, 6).map((line) => `      ${line.slice(0, 300)}`).join("\n");
}

function reportFailure(suite: string, name: string, message: string | undefined) {
  console.log(`  FAILED ${suite}: ${name}`);
  const lines = excerpt(message);
  if (lines) console.log(lines);
}

function vitestCounts(file: string): Counts {
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number;
    testResults: { name: string; status: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages?: string[] }[] }[];
  };
  for (const testFile of report.testResults) {
    const where = path.relative(process.cwd(), testFile.name);
    const failed = testFile.assertionResults.filter((test) => test.status === "failed");
    for (const test of failed) reportFailure(where, test.fullName, test.failureMessages?.[0]);
    if (testFile.status === "failed" && failed.length === 0) reportFailure(where, "(the file failed)", testFile.message);
  }
  // A test file that fails to load has no failed tests but does fail.
  const brokenFiles = report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0;
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles, skipped: report.numPendingTests + report.numTodoTests };
}

type PlaywrightSuite = {
  title: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: { title: string; file: string; line: number; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
};

function reportPlaywrightFailures(suite: PlaywrightSuite) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests.filter((t) => t.status === "unexpected")) {
      reportFailure(`${spec.file}:${spec.line}`, spec.title, test.results.at(-1)?.error?.message);
    }
  }
  for (const child of suite.suites ?? []) reportPlaywrightFailures(child);
}

function playwrightCounts(file: string): Counts {
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    suites?: PlaywrightSuite[];
  };
  for (const suite of report.suites ?? []) reportPlaywrightFailures(suite);
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
