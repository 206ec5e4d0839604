-- Leaderboard rollup (issue 15 item 5): the full rebuild sums leaderboard_rollup; only the day board's partial edge
-- hour is read from the contributions, by date. These indexes serve that one-hour read (messages has
-- messages_created_idx already): done review tasks and rankings by creation time.
CREATE INDEX "tasks_label_done_created_idx" ON "tasks" USING btree ("created_date")
  WHERE "done" AND "type" IN ('label_initial_prompt', 'label_prompter_reply', 'label_assistant_reply');
--> statement-breakpoint
CREATE INDEX "message_reactions_created_idx" ON "message_reactions" USING btree ("created_date");
--> statement-breakpoint
-- A reply's consensus rank (reply_ranked_N) is dated by its parent's last ranking: a ranking added or removed after
-- the consensus moves that date, so the authors of the ranked replies under the ranked message are marked too.
CREATE FUNCTION oa_dirty_ranked_replies_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT m.user_id FROM (SELECT DISTINCT message_id FROM new_rows) r JOIN messages m ON m.parent_id = r.message_id
  WHERE m.user_id IS NOT NULL AND m.rank BETWEEN 0 AND 2;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION oa_dirty_ranked_replies_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT m.user_id FROM (SELECT DISTINCT message_id FROM old_rows) r JOIN messages m ON m.parent_id = r.message_id
  WHERE m.user_id IS NOT NULL AND m.rank BETWEEN 0 AND 2;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER message_reactions_ranked_replies_insert AFTER INSERT ON message_reactions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_ranked_replies_new();
--> statement-breakpoint
CREATE TRIGGER message_reactions_ranked_replies_delete AFTER DELETE ON message_reactions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_ranked_replies_old();
--> statement-breakpoint
-- As in firstrun_leaderboard_triggers, and a ranked reply deleted or restored marks its rankers too (rankings_good
-- counts a ranking whose first choice is a live consensus winner).
CREATE OR REPLACE FUNCTION oa_dirty_messages_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT u FROM (
    SELECT unnest(ARRAY[n.user_id, o.user_id]) AS u FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.review_result, n.deleted, n.rank, n.emojis, n.user_id, n.created_date, n.parent_id, n.role)
      IS DISTINCT FROM (o.review_result, o.deleted, o.rank, o.emojis, o.user_id, o.created_date, o.parent_id, o.role)
    UNION ALL
    SELECT r.user_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN message_reactions r ON r.message_id = n.parent_id
    WHERE (n.rank, n.deleted) IS DISTINCT FROM (o.rank, o.deleted)
  ) changed WHERE u IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An existing install starts with an empty rollup: every user is marked, so the flushes and the first rebuild
-- (which folds all marks in) fill it from the contributions; until then the boards keep their rows.
INSERT INTO leaderboard_dirty_users (user_id) SELECT id FROM users;
--> statement-breakpoint
-- Review tasks: a change of date or owner moves the review between buckets and users (both owners are marked), and
-- a task inserted already done (imports, seeds) counts at once.
CREATE OR REPLACE FUNCTION oa_dirty_tasks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id)
  SELECT DISTINCT u FROM (
    SELECT unnest(ARRAY[n.user_id, o.user_id]) AS u FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.done, n.type, n.payload ->> 'mode', n.created_date, n.user_id)
      IS DISTINCT FROM (o.done, o.type, o.payload ->> 'mode', o.created_date, o.user_id)
  ) changed WHERE u IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION oa_dirty_tasks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO leaderboard_dirty_users (user_id) SELECT DISTINCT user_id FROM new_rows WHERE done AND user_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tasks_leaderboard_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_dirty_tasks_inserted();
