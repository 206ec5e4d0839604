CREATE TABLE "leaderboard_frame_bases" (
	"board" varchar(16) NOT NULL,
	"time_frame" time_frame NOT NULL,
	"base_date" timestamp with time zone,
	"as_of" timestamp with time zone NOT NULL,
	CONSTRAINT "leaderboard_frame_bases_board_time_frame_pk" PRIMARY KEY("board","time_frame"),
	CONSTRAINT "leaderboard_frame_bases_board_check" CHECK ("leaderboard_frame_bases"."board" in ('leaderboards', 'trollboards'))
);
--> statement-breakpoint
DROP INDEX "troll_stats_rank_idx";--> statement-breakpoint
DROP INDEX "user_stats_rank_idx";--> statement-breakpoint
CREATE INDEX "leaderboard_rollup_bucket_idx" ON "leaderboard_rollup" USING btree ("bucket","user_id");--> statement-breakpoint
ALTER TABLE "troll_stats" DROP COLUMN "rank";--> statement-breakpoint
ALTER TABLE "user_stats" DROP COLUMN "rank";