-- The leaderboard reads count rows ahead of a viewer along user_stats_board_order_idx; an index-only scan needs the
-- table's visibility map, which the default autovacuum (after 20 % of the rows changed: 80k rows at 100k users)
-- leaves stale under the flushes' steady trickle of updates, and then every counted row is a heap fetch (a rank at
-- 5,000: 21 ms stale, 4.9 ms vacuumed). Vacuum after 1 % instead (a few thousand rows, ~0.1 s a run).
ALTER TABLE "user_stats" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
--> statement-breakpoint
ALTER TABLE "troll_stats" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
