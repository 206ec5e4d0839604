CREATE TABLE "dataset_undated_messages" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"message_tree_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_undated_messages" ADD CONSTRAINT "dataset_undated_messages_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_undated_messages_tree_idx" ON "dataset_undated_messages" USING btree ("message_tree_id");