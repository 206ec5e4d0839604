CREATE TABLE "task_work" (
	"kind" "task_type" NOT NULL,
	"target_id" uuid NOT NULL,
	"tree_id" uuid NOT NULL,
	"lang" varchar(32) NOT NULL,
	"sort_key" double precision DEFAULT random() NOT NULL,
	CONSTRAINT "task_work_target_id_kind_pk" PRIMARY KEY("target_id","kind")
);
--> statement-breakpoint
CREATE INDEX "task_work_sample_idx" ON "task_work" USING btree ("kind","lang","sort_key");--> statement-breakpoint
CREATE INDEX "task_work_tree_idx" ON "task_work" USING btree ("tree_id");--> statement-breakpoint
CREATE INDEX "tasks_open_by_tree_idx" ON "tasks" USING btree ("message_tree_id","type") WHERE not "tasks"."done" and not "tasks"."skipped";