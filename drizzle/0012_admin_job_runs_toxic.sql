ALTER TYPE "public"."moderation_queue_kind" ADD VALUE 'toxic';--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"job_id" varchar(128) NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"outcome" varchar(16) NOT NULL,
	"message" text
);
--> statement-breakpoint
CREATE INDEX "job_runs_job_started_idx" ON "job_runs" USING btree ("job_id","started_at");--> statement-breakpoint
-- Messages over the toxicity threshold get their own queue kind. The classifier flags them in flagged_messages like a
-- report, with `oa.queue_kind = 'toxic'` set for its transaction (src/server/domain/toxicity/store.ts); any other flag
-- (a report, a red flag) is `flagged`. The cast happens when the trigger runs, after this migration has committed.
CREATE OR REPLACE FUNCTION moderation_queue_on_flag() RETURNS trigger AS $$
BEGIN
  PERFORM moderation_queue_open(coalesce(nullif(current_setting('oa.queue_kind', true), ''), 'flagged')::moderation_queue_kind, NEW.message_id);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
