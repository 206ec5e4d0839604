-- Every user with rollup rows gets an end row (issue 15, full rebuild <= 2 s): bucket 'infinity', no figures, and the
-- user's newest bucket as its older_bucket. A frame that starts after a user's newest contribution is then held by
-- that end row (zero figures), so the full rebuild finds every (user, frame) pair with a board row among the rows it
-- picks from the rollup, and compares them with the boards in a left join PostgreSQL runs in parallel (rollup.ts)
-- instead of a full join it cannot (before PostgreSQL 16). Users with board rows but no contributions left get an end
-- row alone, which holds every frame with zero figures.
INSERT INTO "leaderboard_rollup" ("user_id", "bucket", "older_bucket")
SELECT "user_id", 'infinity'::timestamptz, max("bucket") FROM "leaderboard_rollup" GROUP BY "user_id"
UNION ALL
SELECT b."user_id", 'infinity'::timestamptz, NULL FROM (SELECT "user_id" FROM "user_stats" UNION SELECT "user_id" FROM "troll_stats") b
WHERE NOT EXISTS (SELECT 1 FROM "leaderboard_rollup" r WHERE r."user_id" = b."user_id")
ON CONFLICT DO NOTHING;
