-- Issue 15 (open loop of the load benchmark): each partial index over open tasks now requires its own key in its
-- predicate, so a lookup by target can only use tasks_open_by_target_idx, a lookup by tree only
-- tasks_open_by_tree_idx, and the expiry sweep only tasks_expiry_idx. Before, while the statistics said these
-- indexes were empty (a database analyzed while no task was open), the planner saw no difference in cost between
-- looking up a key and reading a whole other index with a filter, and the hand-out's generic plans (kept per
-- connection) read every open task for every target they checked. Same rows, same queries; only the choice changes.
DROP INDEX "tasks_open_by_target_idx";--> statement-breakpoint
DROP INDEX "tasks_expiry_idx";--> statement-breakpoint
DROP INDEX "tasks_open_by_tree_idx";--> statement-breakpoint
CREATE INDEX "tasks_open_by_target_idx" ON "tasks" USING btree ("parent_message_id","type") WHERE not "tasks"."done" and not "tasks"."skipped" and "tasks"."parent_message_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_expiry_idx" ON "tasks" USING btree ("expiry_date") WHERE not "tasks"."done" and "tasks"."expiry_date" is not null;--> statement-breakpoint
CREATE INDEX "tasks_open_by_tree_idx" ON "tasks" USING btree ("message_tree_id","type") WHERE not "tasks"."done" and not "tasks"."skipped" and "tasks"."message_tree_id" is not null;