-- Moderator console lists on a large database (bench/admin-lists.ts, 1M messages):
-- user search is a prefix match, which a btree with text_pattern_ops answers as a range (the trigram indexes of
-- admin_queue_triggers stay for substrings); the user list pages by keyset on (created_at, id).
CREATE INDEX IF NOT EXISTS users_name_prefix_idx ON users (lower(name) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_username_prefix_idx ON users (lower(username) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_email_prefix_idx ON users (lower(email) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_created_idx ON users (created_at DESC, id DESC);
--> statement-breakpoint
-- "Deleted only" in the message table: few rows, found without walking every message newest first.
CREATE INDEX IF NOT EXISTS messages_deleted_created_idx ON messages (created_date DESC, id DESC) WHERE deleted;
--> statement-breakpoint
-- Queue pages are keyset-paginated on (detected_at, id): with the id in the index a page is an index-only range read
-- instead of a sort of every open item.
CREATE INDEX IF NOT EXISTS moderation_queue_items_open_key_idx ON moderation_queue_items (detected_at, id) WHERE resolved_at IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS moderation_queue_items_open_kind_key_idx ON moderation_queue_items (kind, lang, detected_at, id) WHERE resolved_at IS NULL;
