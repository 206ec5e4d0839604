import type { Database } from "../src/server/db/client";
import { repairAllBoards } from "../src/server/domain/leaderboard/rebuild-boards";
import { drainSearchBacklog } from "../src/server/domain/messages/search-index";
import { refreshCachedStats } from "../src/server/domain/stats/cached-stats";

/**
 * After data was written behind the domain's back (set-based generation, bulk import), rebuild everything the app
 * derives from it with the app's own repair functions, so the benchmark measures the state the app would be in.
 */
export async function rebuildDerivedState(db: Database): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const time = async (label: string, work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    timings[label] = Math.round(performance.now() - start);
  };
  // The leaderboard rollup from the contributions, then every board of every frame from it.
  await time("leaderboard rollup and all boards ms", () => repairAllBoards(db));
  await time("cached stats ms", () => refreshCachedStats(db));
  // Every generated message waits for the search indexer (by trigger). A running campaign's indexer keeps up, so the
  // benchmark starts from an indexed database: left waiting, a million messages cost the first minute of a load run
  // about 55 s of database time while the app's indexer catches up.
  await time("message search index ms", () => drainSearchBacklog(db));
  return timings;
}
