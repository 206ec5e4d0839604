CREATE TABLE "leaderboard_dirty_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "leaderboard_dirty_users_user_idx" ON "leaderboard_dirty_users" USING btree ("user_id");