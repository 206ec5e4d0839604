-- Work rows exist only for messages of active trees (oa_task_work_refresh joins the tree state `AND s.active`, and a
-- tree that turns inactive has its rows refreshed away by the update trigger). So inserting messages into a tree
-- that is missing or inactive, or inserting an inactive tree, can change no work row: these insert triggers now
-- leave such rows out before refreshing, instead of probing `task_work` for every one. A dataset import (trees
-- ready for export) spent about a sixth of its time there (issue 15 item 6). Updates and deletes keep the triggers
-- of migration handout_full_marks.
CREATE OR REPLACE FUNCTION oa_task_work_messages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  targets uuid[];
  trees uuid[];
BEGIN
  -- One key lookup per distinct tree, not a join: PL/pgSQL keeps this statement's plan for the session, and a join
  -- planned while `message_tree_states` was small (the start of an import) stays a hash join over the whole table.
  trees := array(
    SELECT t.tree FROM (SELECT DISTINCT message_tree_id AS tree FROM new_rows) t
    WHERE (SELECT s.active FROM message_tree_states s WHERE s.message_tree_id = t.tree));
  IF cardinality(trees) = 0 THEN
    RETURN NULL;
  END IF;
  targets := array(
    SELECT id FROM new_rows WHERE message_tree_id = ANY(trees)
    UNION SELECT parent_id FROM new_rows WHERE parent_id IS NOT NULL AND message_tree_id = ANY(trees));
  PERFORM oa_task_work_refresh(targets);
  PERFORM oa_task_work_unblock(trees);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION oa_task_work_trees_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  trees uuid[];
BEGIN
  trees := array(SELECT message_tree_id FROM new_rows WHERE active);
  IF cardinality(trees) > 0 THEN
    PERFORM oa_task_work_refresh_trees(trees);
    PERFORM oa_task_work_unblock(trees);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER task_work_messages_insert ON messages;
--> statement-breakpoint
CREATE TRIGGER task_work_messages_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_messages_inserted();
--> statement-breakpoint
DROP TRIGGER task_work_trees_insert ON message_tree_states;
--> statement-breakpoint
CREATE TRIGGER task_work_trees_insert AFTER INSERT ON message_tree_states
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_trees_inserted();
