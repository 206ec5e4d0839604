CREATE TABLE "dataset_undated_messages" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"message_tree_id" uuid NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "quality_label_agreement" (
	"label" varchar(64) NOT NULL,
	"scope" varchar(8) NOT NULL,
	"key" varchar(32) NOT NULL,
	"metric" varchar(8) NOT NULL,
	"alpha" real,
	"units" integer NOT NULL,
	"values" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quality_label_agreement_label_scope_key_pk" PRIMARY KEY("label","scope","key")
);
--> statement-breakpoint
CREATE TABLE "quality_reviewers" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"label_agreements" integer NOT NULL,
	"label_trials" integer NOT NULL,
	"ranking_agreements" integer NOT NULL,
	"ranking_trials" integer NOT NULL,
	"gold_correct" integer DEFAULT 0 NOT NULL,
	"gold_trials" integer DEFAULT 0 NOT NULL,
	"score" real NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_sibling_groups" (
	"parent_id" uuid PRIMARY KEY NOT NULL,
	"message_tree_id" uuid NOT NULL,
	"lang" varchar(32) NOT NULL,
	"rankings" integer NOT NULL,
	"kendall_w" real,
	"consensus_margin" real,
	"strengths" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_undated_messages" ADD CONSTRAINT "dataset_undated_messages_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_gold_answers" ADD CONSTRAINT "quality_gold_answers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_gold_answers" ADD CONSTRAINT "quality_gold_answers_message_id_quality_gold_items_message_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."quality_gold_items"("message_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_gold_items" ADD CONSTRAINT "quality_gold_items_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_gold_items" ADD CONSTRAINT "quality_gold_items_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_reviewers" ADD CONSTRAINT "quality_reviewers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_sibling_groups" ADD CONSTRAINT "quality_sibling_groups_parent_id_messages_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_undated_messages_tree_idx" ON "dataset_undated_messages" USING btree ("message_tree_id");--> statement-breakpoint
CREATE INDEX "quality_reviewers_score_idx" ON "quality_reviewers" USING btree ("score");--> statement-breakpoint
CREATE INDEX "quality_sibling_groups_tree_idx" ON "quality_sibling_groups" USING btree ("message_tree_id");--> statement-breakpoint
CREATE INDEX "quality_sibling_groups_w_idx" ON "quality_sibling_groups" USING btree ("kendall_w");