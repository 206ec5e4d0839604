CREATE TYPE "public"."moderation_queue_kind" AS ENUM('flagged', 'rejected', 'skipped', 'auto_moderated');--> statement-breakpoint
CREATE TABLE "moderation_queue_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "moderation_queue_kind" NOT NULL,
	"message_id" uuid NOT NULL,
	"message_tree_id" uuid NOT NULL,
	"lang" varchar(32) NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_by" uuid,
	"claim_expires_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution" varchar(32),
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tree_state_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_tree_id" uuid NOT NULL,
	"from_state" varchar(64),
	"to_state" varchar(64) NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "moderation_queue_items" ADD CONSTRAINT "moderation_queue_items_claimed_by_users_id_fk" FOREIGN KEY ("claimed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_queue_items" ADD CONSTRAINT "moderation_queue_items_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_queue_items_kind_message_uq" ON "moderation_queue_items" USING btree ("kind","message_id");--> statement-breakpoint
CREATE INDEX "moderation_queue_items_open_idx" ON "moderation_queue_items" USING btree ("detected_at") WHERE "moderation_queue_items"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "moderation_queue_items_open_kind_idx" ON "moderation_queue_items" USING btree ("kind","lang","detected_at") WHERE "moderation_queue_items"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "moderation_queue_items_tree_idx" ON "moderation_queue_items" USING btree ("message_tree_id");--> statement-breakpoint
CREATE INDEX "tree_state_changes_tree_idx" ON "tree_state_changes" USING btree ("message_tree_id","changed_at");