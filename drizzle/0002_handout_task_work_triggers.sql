-- Work rows for the task hand-out (table task_work, src/server/db/schema/work.ts), kept by triggers so that every
-- writer of messages and tree states (task submits, moderation, dataset import, restores, tests' fixtures) keeps
-- them in the same transaction without having to remember to. Statement-level triggers with transition tables, so a
-- bulk import pays once per statement, not once per row. No foreign keys: writing a work row takes no key lock on
-- the message or the tree state (lock order: tree state -> messages -> work rows and tasks).

-- The structural rules: which task types a message could be handed out as, given itself and its tree's state.
-- Per-user rules, settings-dependent capacities and reservations are checked at hand-out on the sampled rows.
CREATE OR REPLACE FUNCTION oa_task_work_refresh(p_targets uuid[]) RETURNS void LANGUAGE sql AS $$
  WITH fresh AS (
    SELECT k.kind::task_type AS kind, m.id AS target_id, m.message_tree_id AS tree_id, k.lang
    FROM messages m
    JOIN message_tree_states s ON s.message_tree_id = m.message_tree_id AND s.active
    CROSS JOIN LATERAL (VALUES
      (CASE WHEN m.parent_id IS NULL AND s.state = 'initial_prompt_review' AND NOT m.deleted AND m.review_result IS NOT TRUE
        THEN 'label_initial_prompt' END, m.lang),
      (CASE WHEN m.parent_id IS NOT NULL AND s.state = 'growing' AND NOT m.deleted AND m.review_result IS NOT TRUE
        THEN CASE m.role WHEN 'assistant' THEN 'label_assistant_reply' ELSE 'label_prompter_reply' END END, m.lang),
      (CASE WHEN s.state = 'growing' AND NOT m.deleted AND m.review_result IS TRUE AND m.depth < s.max_depth
        THEN CASE m.role WHEN 'prompter' THEN 'assistant_reply' ELSE 'prompter_reply' END END, s.lang),
      (CASE WHEN s.state = 'ranking'
          AND (SELECT count(*) FROM messages c WHERE c.parent_id = m.id AND NOT c.deleted AND c.review_result IS TRUE) > 1
        THEN CASE m.role WHEN 'prompter' THEN 'rank_assistant_replies' ELSE 'rank_prompter_replies' END END, m.lang)
    ) AS k(kind, lang)
    WHERE m.id = ANY(p_targets) AND k.kind IS NOT NULL
  ), gone AS (
    DELETE FROM task_work w
    WHERE w.target_id = ANY(p_targets)
      AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.kind = w.kind AND f.target_id = w.target_id)
  )
  INSERT INTO task_work (kind, target_id, tree_id, lang)
  SELECT kind, target_id, tree_id, lang FROM fresh
  ON CONFLICT (target_id, kind) DO UPDATE SET tree_id = excluded.tree_id, lang = excluded.lang
  WHERE (task_work.tree_id, task_work.lang) IS DISTINCT FROM (excluded.tree_id, excluded.lang);
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION oa_task_work_refresh_trees(p_trees uuid[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM task_work WHERE tree_id = ANY(p_trees)
    AND target_id NOT IN (SELECT id FROM messages WHERE message_tree_id = ANY(p_trees));
  SELECT oa_task_work_refresh(array(SELECT id FROM messages WHERE message_tree_id = ANY(p_trees)));
$$;
--> statement-breakpoint
-- The repair tool (and the backfill below): rows of gone or inactive trees go, every active tree is recomputed.
CREATE OR REPLACE FUNCTION oa_task_work_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM task_work w WHERE NOT EXISTS (
    SELECT 1 FROM message_tree_states s WHERE s.message_tree_id = w.tree_id AND s.active);
  SELECT oa_task_work_refresh_trees(array(SELECT message_tree_id FROM message_tree_states WHERE active));
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION oa_task_work_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  targets uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    targets := array(SELECT id FROM new_rows UNION SELECT parent_id FROM new_rows WHERE parent_id IS NOT NULL);
  ELSIF TG_OP = 'UPDATE' THEN
    targets := array(
      WITH changed AS (
        SELECT n.id, n.parent_id, o.parent_id AS old_parent_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.deleted, n.review_result, n.depth, n.parent_id, n.lang, n.role, n.message_tree_id)
          IS DISTINCT FROM (o.deleted, o.review_result, o.depth, o.parent_id, o.lang, o.role, o.message_tree_id)
      )
      SELECT id FROM changed
      UNION SELECT parent_id FROM changed WHERE parent_id IS NOT NULL
      UNION SELECT old_parent_id FROM changed WHERE old_parent_id IS NOT NULL);
  ELSE
    DELETE FROM task_work WHERE target_id IN (SELECT id FROM old_rows);
    targets := array(SELECT DISTINCT parent_id FROM old_rows WHERE parent_id IS NOT NULL);
  END IF;
  IF cardinality(targets) > 0 THEN
    PERFORM oa_task_work_refresh(targets);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION oa_task_work_trees_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  trees uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    trees := array(SELECT message_tree_id FROM new_rows);
  ELSIF TG_OP = 'UPDATE' THEN
    trees := array(
      SELECT n.message_tree_id FROM new_rows n JOIN old_rows o ON o.message_tree_id = n.message_tree_id
      WHERE (n.state, n.active, n.max_depth, n.lang) IS DISTINCT FROM (o.state, o.active, o.max_depth, o.lang));
  ELSE
    DELETE FROM task_work WHERE tree_id IN (SELECT message_tree_id FROM old_rows);
    RETURN NULL;
  END IF;
  IF cardinality(trees) > 0 THEN
    PERFORM oa_task_work_refresh_trees(trees);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER task_work_messages_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_messages_changed();
--> statement-breakpoint
CREATE TRIGGER task_work_messages_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_messages_changed();
--> statement-breakpoint
CREATE TRIGGER task_work_messages_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_messages_changed();
--> statement-breakpoint
CREATE TRIGGER task_work_trees_insert AFTER INSERT ON message_tree_states
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_trees_changed();
--> statement-breakpoint
CREATE TRIGGER task_work_trees_update AFTER UPDATE ON message_tree_states
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_trees_changed();
--> statement-breakpoint
CREATE TRIGGER task_work_trees_delete AFTER DELETE ON message_tree_states
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_trees_changed();
--> statement-breakpoint
SELECT oa_task_work_rebuild();
