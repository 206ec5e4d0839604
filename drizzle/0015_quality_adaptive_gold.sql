ALTER TYPE "public"."moderation_queue_kind" ADD VALUE 'split_reviews';--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "reviews_wanted" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "rankings_wanted" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "gold" boolean DEFAULT false NOT NULL;