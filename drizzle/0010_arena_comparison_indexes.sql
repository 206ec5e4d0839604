-- The arena job (src/server/domain/quality/arena-comparisons.ts) reads only the recent window of draft picks and of
-- up-voted assistant replies; these keep both reads to the rows in the window. Sibling replies are then found
-- through chat_messages_parent_idx.
CREATE INDEX IF NOT EXISTS "chat_message_evaluations_created_idx" ON "chat_message_evaluations" ("created_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "chat_messages_upvoted_idx" ON "chat_messages" ("created_at") WHERE "score" = 1 AND "role" = 'assistant';
