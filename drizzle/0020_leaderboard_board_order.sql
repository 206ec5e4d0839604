DROP INDEX "user_stats_score_idx";--> statement-breakpoint
CREATE INDEX "users_unranked_idx" ON "users" USING btree ("id") WHERE not ("users"."show_on_leaderboard" and "users"."enabled" and not "users"."deleted" and "users"."role" <> 'banned');--> statement-breakpoint
CREATE INDEX "user_stats_board_order_idx" ON "user_stats" USING btree ("time_frame","leader_score" DESC NULLS FIRST,"user_id");