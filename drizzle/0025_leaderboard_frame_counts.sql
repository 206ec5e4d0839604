CREATE TABLE "leaderboard_frame_counts" (
	"time_frame" time_frame PRIMARY KEY NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "leaderboard_frame_counts" ("time_frame", "rows")
  SELECT f, (SELECT count(*) FROM "user_stats" s WHERE s."time_frame" = f) FROM unnest(enum_range(NULL::time_frame)) f;
--> statement-breakpoint
-- Keeps leaderboard_frame_counts equal to the number of user_stats rows per frame. Every statement that inserted or
-- deleted rows locks all four counts in frame order first (one lock order, so writers of several frames in several
-- statements never deadlock on them; they come last in README "Locking"), then adds its per-frame difference.
CREATE OR REPLACE FUNCTION oa_leaderboard_frame_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE leaderboard_frame_counts SET rows = 0;
    RETURN NULL;
  END IF;
  PERFORM 1 FROM leaderboard_frame_counts ORDER BY time_frame FOR UPDATE;
  FOR r IN SELECT time_frame, count(*)::int AS n FROM changed_rows GROUP BY time_frame LOOP
    UPDATE leaderboard_frame_counts SET rows = rows + (CASE TG_OP WHEN 'INSERT' THEN r.n ELSE -r.n END)
    WHERE time_frame = r.time_frame;
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "user_stats_counted_inserted" AFTER INSERT ON "user_stats" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_leaderboard_frame_counts_changed();
--> statement-breakpoint
CREATE TRIGGER "user_stats_counted_deleted" AFTER DELETE ON "user_stats" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_leaderboard_frame_counts_changed();
--> statement-breakpoint
CREATE TRIGGER "user_stats_counted_truncated" AFTER TRUNCATE ON "user_stats"
  FOR EACH STATEMENT EXECUTE FUNCTION oa_leaderboard_frame_counts_changed();
