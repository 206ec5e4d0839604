-- Leaderboard and trollboard figures follow every contribution (issue 11 item 5, issue 15 item 5): statement-level
-- triggers append the users whose figures a statement changed to leaderboard_dirty_users, in the same transaction,
-- whatever the write path (tasks, moderation, import, REST). flushDirtyUsers (src/server/domain/leaderboard)
-- recomputes exactly those users. Transition tables keep a bulk insert to one extra statement.
CREATE FUNCTION oa_dirty_messages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id) SELECT DISTINCT user_id FROM new_rows WHERE user_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION oa_dirty_messages_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id) SELECT DISTINCT user_id FROM old_rows WHERE user_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Counting columns only: children_count and review_count updates (every reply, every review) mark nobody. A new
-- consensus rank also changes the "good ranking" count of everyone who ranked the siblings.
CREATE FUNCTION oa_dirty_messages_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT u FROM (
    SELECT unnest(ARRAY[n.user_id, o.user_id]) AS u FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.review_result, n.deleted, n.rank, n.emojis, n.user_id, n.created_date, n.parent_id, n.role)
      IS DISTINCT FROM (o.review_result, o.deleted, o.rank, o.emojis, o.user_id, o.created_date, o.parent_id, o.role)
    UNION ALL
    SELECT r.user_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN message_reactions r ON r.message_id = n.parent_id
    WHERE n.rank IS DISTINCT FROM o.rank
  ) changed WHERE u IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_leaderboard_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_messages_inserted();
--> statement-breakpoint
CREATE TRIGGER messages_leaderboard_update AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_messages_updated();
--> statement-breakpoint
CREATE TRIGGER messages_leaderboard_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_messages_deleted();
--> statement-breakpoint
-- A review counts when its task is done (labels_simple / labels_full).
CREATE FUNCTION oa_dirty_tasks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT n.user_id FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE n.user_id IS NOT NULL AND (n.done, n.type, n.payload ->> 'mode') IS DISTINCT FROM (o.done, o.type, o.payload ->> 'mode');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tasks_leaderboard_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_tasks_updated();
--> statement-breakpoint
-- Rankings (rankings_total, rankings_good).
CREATE TRIGGER message_reactions_leaderboard_insert AFTER INSERT ON message_reactions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_messages_inserted();
--> statement-breakpoint
CREATE TRIGGER message_reactions_leaderboard_delete AFTER DELETE ON message_reactions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_messages_deleted();
--> statement-breakpoint
-- Labels given to a message move its author on the trollboard.
CREATE FUNCTION oa_dirty_text_labels_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT m.user_id FROM new_rows l JOIN messages m ON m.id = l.message_id WHERE m.user_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION oa_dirty_text_labels_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT m.user_id FROM old_rows l JOIN messages m ON m.id = l.message_id WHERE m.user_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER text_labels_leaderboard_insert AFTER INSERT ON text_labels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_text_labels_new();
--> statement-breakpoint
CREATE TRIGGER text_labels_leaderboard_update AFTER UPDATE ON text_labels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_text_labels_new();
--> statement-breakpoint
CREATE TRIGGER text_labels_leaderboard_delete AFTER DELETE ON text_labels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_text_labels_old();
--> statement-breakpoint
-- A tree aborted as low grade is a spam prompt of its root's author (trollboard).
CREATE FUNCTION oa_dirty_tree_states_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT m.user_id FROM new_rows n JOIN old_rows o ON o.message_tree_id = n.message_tree_id
    JOIN messages m ON m.id = n.message_tree_id
  WHERE m.user_id IS NOT NULL AND n.state IS DISTINCT FROM o.state
    AND 'aborted_low_grade' IN (n.state::text, o.state::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER message_tree_states_leaderboard_update AFTER UPDATE ON message_tree_states
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_tree_states_updated();
