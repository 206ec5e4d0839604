/**
 * A campaign-sized database for the load benchmark:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/seed-scale.ts --db=oa_scale [--messages=1000000]
 *     [--users=100000] [--active-per-lang=500] [--replace]
 *   DATABASE_URL=<the embedded server's URL> npx tsx bench/seed-scale.ts --in-place --messages=20000 …
 *
 * Creates (or, with --replace, recreates) the database `--db` next to DATABASE_URL, migrates it, generates the data
 * with set-based SQL (seed-scale-data.ts) and then runs the app's own repair jobs so every derived table (open work,
 * leaderboards) is what the app would have built. Prints the database URL to use with bench/load.ts.
 */
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { generateScaleData } from "./seed-scale-data";
import { rebuildDerivedState } from "./derived-state";
import { flag, numberFlag } from "./cli-flags";

const size = {
  users: numberFlag("users", 100_000),
  messages: numberFlag("messages", 1_000_000),
  activePerLang: numberFlag("active-per-lang", 500),
};
const name = flag("db") ?? "oa_scale";
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith("postgres")) {
  console.error("Set DATABASE_URL to a PostgreSQL server; the benchmark database is created next to it.");
  process.exit(2);
}
if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
  console.error(`--db must be a plain database name (got ${name}).`);
  process.exit(2);
}

// --in-place: into DATABASE_URL itself (the embedded server has one database), which must hold no campaign yet.
const inPlace = process.argv.includes("--in-place");
if (!inPlace) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  if (exists && !process.argv.includes("--replace")) {
    console.error(`Database ${name} exists; pass --replace to recreate it.`);
    await admin.end();
    process.exit(2);
  }
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
}

const url = inPlace ? serverUrl : Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
await migrateDatabase(url);
const { db, close } = connectDatabase(url, { max: 2, statementTimeoutMs: 0 });
try {
  const started = performance.now();
  console.log(`[seed-scale] generating ${size.users} users, ${size.messages} messages, ${size.activePerLang} growing trees per language …`);
  const counts = await generateScaleData(db, size);
  const generated = performance.now();
  console.log(`[seed-scale] generated in ${((generated - started) / 1000).toFixed(1)} s`, counts);
  const derived = await rebuildDerivedState(db);
  console.log(`[seed-scale] derived state rebuilt in ${((performance.now() - generated) / 1000).toFixed(1)} s`, derived);
  console.log(`[seed-scale] DATABASE_URL=${url}`);
} finally {
  await close();
}
