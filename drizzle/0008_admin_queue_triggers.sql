-- Moderator console: the queue is kept by triggers on the tables whose changes call for a human (see
-- src/server/db/schema/admin.ts), and message/user search gets full-text and trigram indexes.
-- A change made by a moderator's own action (the domain sets `oa.moderator_action` for its transaction) is not queued.
CREATE OR REPLACE FUNCTION moderation_queue_open(p_kind moderation_queue_kind, p_message_id uuid) RETURNS void AS $$
BEGIN
  IF coalesce(current_setting('oa.moderator_action', true), '') = 'on' THEN
    RETURN;
  END IF;
  INSERT INTO moderation_queue_items (kind, message_id, message_tree_id, lang)
  SELECT p_kind, m.id, m.message_tree_id, m.lang FROM messages m WHERE m.id = p_message_id
  ON CONFLICT (kind, message_id) DO UPDATE
    SET detected_at = now(), resolved_at = NULL, resolved_by = NULL, resolution = NULL,
        claimed_by = NULL, claim_expires_at = NULL, version = moderation_queue_items.version + 1
    WHERE moderation_queue_items.resolved_at IS NOT NULL;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION moderation_queue_on_flag() RETURNS trigger AS $$
BEGIN
  PERFORM moderation_queue_open('flagged', NEW.message_id);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER moderation_queue_flagged AFTER INSERT OR UPDATE ON flagged_messages
  FOR EACH ROW WHEN (NEW.processed = false) EXECUTE FUNCTION moderation_queue_on_flag();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION moderation_queue_on_rejected() RETURNS trigger AS $$
BEGIN
  PERFORM moderation_queue_open('rejected', NEW.id);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER moderation_queue_rejected AFTER UPDATE OF review_result ON messages
  FOR EACH ROW WHEN (NEW.review_result IS FALSE AND OLD.review_result IS DISTINCT FROM FALSE)
  EXECUTE FUNCTION moderation_queue_on_rejected();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION moderation_queue_on_skipped() RETURNS trigger AS $$
BEGIN
  PERFORM moderation_queue_open('skipped', NEW.id);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
-- "Skipped a lot": 10 skips, well before auto-moderation halts the tree (autoModMaxSkipReply, 25 by default).
CREATE TRIGGER moderation_queue_skipped AFTER UPDATE OF emojis ON messages
  FOR EACH ROW WHEN (coalesce((NEW.emojis->>'_skip_reply')::int, 0) >= 10 AND coalesce((OLD.emojis->>'_skip_reply')::int, 0) < 10)
  EXECUTE FUNCTION moderation_queue_on_skipped();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION moderation_queue_on_tree_stopped() RETURNS trigger AS $$
BEGIN
  -- A prompt that reviewers rejected is already queued as `rejected`; other stops come from auto-moderation.
  IF NEW.state = 'aborted_low_grade' AND EXISTS (SELECT 1 FROM messages WHERE id = NEW.message_tree_id AND review_result IS FALSE) THEN
    RETURN NULL;
  END IF;
  PERFORM moderation_queue_open('auto_moderated', NEW.message_tree_id);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER moderation_queue_tree_stopped AFTER UPDATE OF state ON message_tree_states
  FOR EACH ROW WHEN (NEW.state IN ('aborted_low_grade', 'halted_by_moderator') AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION moderation_queue_on_tree_stopped();
--> statement-breakpoint
INSERT INTO moderation_queue_items (kind, message_id, message_tree_id, lang, detected_at)
SELECT 'flagged', m.id, m.message_tree_id, m.lang, f.created_date
FROM flagged_messages f JOIN messages m ON m.id = f.message_id WHERE NOT f.processed
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS messages_text_fts_idx ON messages USING gin (to_tsvector('simple', text));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS messages_text_trgm_idx ON messages USING gin (text gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_name_trgm_idx ON users USING gin (lower(name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_username_trgm_idx ON users USING gin (lower(username) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_email_trgm_idx ON users USING gin (lower(email) gin_trgm_ops);
--> statement-breakpoint
-- The console's journal page lists moderator and admin actions newest first without scanning contributions.
CREATE INDEX IF NOT EXISTS journal_staff_created_idx ON journal (created_date DESC, id DESC)
  WHERE event_type LIKE 'moderation\_%' OR event_type LIKE 'admin\_%';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS journal_message_idx ON journal (message_id) WHERE message_id IS NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tree_state_changes_record() RETURNS trigger AS $$
BEGIN
  INSERT INTO tree_state_changes (message_tree_id, from_state, to_state)
  VALUES (NEW.message_tree_id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.state::text END, NEW.state::text);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tree_state_changes_insert AFTER INSERT ON message_tree_states
  FOR EACH ROW EXECUTE FUNCTION tree_state_changes_record();
--> statement-breakpoint
CREATE TRIGGER tree_state_changes_update AFTER UPDATE OF state ON message_tree_states
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION tree_state_changes_record();
