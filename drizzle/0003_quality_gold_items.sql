CREATE TABLE "quality_gold_answers" (
	"user_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"labels" jsonb NOT NULL,
	"correct" integer NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quality_gold_answers_user_id_message_id_pk" PRIMARY KEY("user_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "quality_gold_items" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"expected" jsonb NOT NULL,
	"marked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "quality_reviewers" ADD COLUMN "gold_correct" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_reviewers" ADD COLUMN "gold_trials" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quality_gold_answers" ADD CONSTRAINT "quality_gold_answers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_gold_answers" ADD CONSTRAINT "quality_gold_answers_message_id_quality_gold_items_message_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."quality_gold_items"("message_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_gold_items" ADD CONSTRAINT "quality_gold_items_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_gold_items" ADD CONSTRAINT "quality_gold_items_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;