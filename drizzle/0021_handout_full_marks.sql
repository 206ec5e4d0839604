ALTER TABLE "task_work" ADD COLUMN "full_until" timestamp with time zone;--> statement-breakpoint
-- Full marks on the hand-out's work rows (issue 15): when every target of a kind is reserved (launch day: more
-- volunteers than open slots), each request used to sample and re-check the same full targets, three samples per
-- kind, for nothing: ~13 ms of database time per request instead of ~2 ms. Now a request that finds sampled targets
-- closed to itself also checks them for a user with no history (the same rule functions, p_user NULL: every open
-- reservation counts, no per-user exclusion applies); those closed to everyone get `full_until` and drop out of the
-- samples until then. A mark lasts until the target's first counted reservation lapses, and never longer than
-- p_plan->>'fullForSec' (a rule that no event clears, e.g. a settings change, is re-checked that often). Events that
-- free capacity clear the marks of their tree at once: a task skipped, deleted or re-dated (trigger on tasks), a
-- message changed (the work-row triggers). Writing or clearing a mark never waits: rows locked by another
-- transaction are skipped (SKIP LOCKED). A clear that skips a row whose mark is being written leaves that mark to
-- lapse by its time (at most fullForSec). The hand-out writes its marks last, when it will wait for nothing more
-- (README "Locking").

-- Open gold tasks (quality/gold.ts) hold no slot: a gold answer is scored and never becomes a review, so a gold task
-- open on a message that still needs reviews used to keep a real reviewer from it for up to recentTasksSpanSec.
-- The rule of migration handout_one_statement otherwise unchanged.
CREATE OR REPLACE FUNCTION oa_target_reserved(p_target uuid, p_types task_type[], p_user uuid, p_s jsonb)
RETURNS TABLE (n integer) LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM tasks t
  WHERE t.parent_message_id = p_target AND t.type = ANY(p_types) AND NOT t.done AND NOT t.skipped AND NOT t.gold
    AND t.created_date > now() - make_interval(secs => (p_s->>'recentTasksSpanSec')::int)
    AND (t.expiry_date IS NULL OR t.expiry_date > now()) AND t.user_id IS DISTINCT FROM p_user
$$;
--> statement-breakpoint
-- Clears the full marks of the given trees' work rows, skipping rows another transaction holds.
CREATE OR REPLACE FUNCTION oa_task_work_unblock(p_trees uuid[]) RETURNS void LANGUAGE sql AS $$
  UPDATE task_work w SET full_until = NULL
  WHERE w.ctid = ANY(ARRAY(
    SELECT x.ctid FROM task_work x WHERE x.tree_id = ANY(p_trees) AND x.full_until IS NOT NULL
    FOR UPDATE SKIP LOCKED));
$$;
--> statement-breakpoint
-- Marks the work rows of types p_types on targets p_ids that are closed to a user with no history (see above).
-- Returns the number of rows marked.
CREATE OR REPLACE FUNCTION oa_mark_full_targets(p_kind text, p_types task_type[], p_ids uuid[], p_lang text, p_s jsonb,
  p_full_for_sec integer) RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_span interval := make_interval(secs => (p_s->>'recentTasksSpanSec')::int);
  v_marked integer;
BEGIN
  IF coalesce(cardinality(p_ids), 0) = 0 OR p_full_for_sec <= 0 THEN
    RETURN 0;
  END IF;
  WITH open_to_someone AS (
    SELECT e.id, e.type FROM oa_eligible_targets(p_kind, p_ids, NULL, p_lang, p_s) e
  ), closed AS (
    SELECT w.ctid AS row_id, w.target_id, w.tree_id, w.kind FROM task_work w
    WHERE w.target_id = ANY(p_ids) AND w.kind = ANY(p_types)
      AND NOT EXISTS (SELECT 1 FROM open_to_someone o WHERE o.id = w.target_id AND o.type = w.kind)
    FOR UPDATE OF w SKIP LOCKED
  ), marked AS (
    UPDATE task_work w SET full_until = least(now() + make_interval(secs => p_full_for_sec), (
        -- The first counted reservation to lapse (oa_target_reserved's rule): of the target itself, or for reply
        -- kinds of the whole tree (the tree's goal counts every reply reservation in it).
        SELECT min(least(t.created_date + v_span, coalesce(t.expiry_date, 'infinity'::timestamptz))) FROM tasks t
        WHERE t.message_tree_id = c.tree_id AND NOT t.done AND NOT t.skipped AND NOT t.gold
          AND t.created_date > now() - v_span AND (t.expiry_date IS NULL OR t.expiry_date > now())
          AND (c.kind IN ('assistant_reply', 'prompter_reply') OR t.parent_message_id = c.target_id)))
    FROM closed c WHERE w.ctid = c.row_id
    RETURNING 1
  )
  SELECT count(*)::int INTO v_marked FROM marked;
  RETURN v_marked;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION oa_task_work_tasks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  trees uuid[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    trees := array(
      SELECT DISTINCT o.message_tree_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE o.message_tree_id IS NOT NULL
        AND (n.skipped, n.expiry_date, n.created_date, n.message_tree_id, n.parent_message_id)
          IS DISTINCT FROM (o.skipped, o.expiry_date, o.created_date, o.message_tree_id, o.parent_message_id));
  ELSE
    trees := array(SELECT DISTINCT message_tree_id FROM old_rows WHERE message_tree_id IS NOT NULL);
  END IF;
  IF cardinality(trees) > 0 THEN
    PERFORM oa_task_work_unblock(trees);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER task_work_tasks_update AFTER UPDATE ON tasks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_tasks_changed();
--> statement-breakpoint
CREATE TRIGGER task_work_tasks_delete AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oa_task_work_tasks_changed();
--> statement-breakpoint
-- The work-row triggers of migration handout_task_work_triggers, now also clearing the full marks of the trees
-- whose messages or states changed.
CREATE OR REPLACE FUNCTION oa_task_work_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  targets uuid[];
  trees uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    targets := array(SELECT id FROM new_rows UNION SELECT parent_id FROM new_rows WHERE parent_id IS NOT NULL);
    trees := array(SELECT DISTINCT message_tree_id FROM new_rows);
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
    trees := array(
      SELECT DISTINCT x.tree FROM new_rows n JOIN old_rows o ON o.id = n.id
      CROSS JOIN LATERAL (VALUES (n.message_tree_id), (o.message_tree_id)) x(tree)
      WHERE (n.deleted, n.review_result, n.depth, n.parent_id, n.lang, n.role, n.message_tree_id)
        IS DISTINCT FROM (o.deleted, o.review_result, o.depth, o.parent_id, o.lang, o.role, o.message_tree_id));
  ELSE
    DELETE FROM task_work WHERE target_id IN (SELECT id FROM old_rows);
    targets := array(SELECT DISTINCT parent_id FROM old_rows WHERE parent_id IS NOT NULL);
    trees := array(SELECT DISTINCT message_tree_id FROM old_rows);
  END IF;
  IF cardinality(targets) > 0 THEN
    PERFORM oa_task_work_refresh(targets);
  END IF;
  IF cardinality(trees) > 0 THEN
    PERFORM oa_task_work_unblock(trees);
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
      WHERE (n.state, n.active, n.max_depth, n.lang, n.goal_tree_size, n.max_children_count)
        IS DISTINCT FROM (o.state, o.active, o.max_depth, o.lang, o.goal_tree_size, o.max_children_count));
  ELSE
    DELETE FROM task_work WHERE tree_id IN (SELECT message_tree_id FROM old_rows);
    RETURN NULL;
  END IF;
  IF cardinality(trees) > 0 THEN
    PERFORM oa_task_work_refresh_trees(trees);
    PERFORM oa_task_work_unblock(trees);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- oa_request_task of migration handout_one_statement, with full marks: samples leave out rows marked full, the
-- sampled targets the rules reject for this user are collected per kind, and before the request answers (a task or
-- none) those closed to everyone are marked (oa_mark_full_targets) — last, when the request waits for nothing more.
CREATE OR REPLACE FUNCTION oa_request_task(p_user uuid, p_api_client uuid, p_lang text, p_plan jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_s jsonb := p_plan->'s';
  v_seed text := p_plan->>'seed';
  v_full_for_sec integer := coalesce((p_plan->>'fullForSec')::int, 0);
  v_pending integer;
  v_kind jsonb;
  v_kind_name text;
  v_all_types task_type[];
  v_types task_type[];
  v_type task_type;
  v_key_index integer := 0;
  v_ids uuid[];
  v_sample uuid[];
  v_chunk_ids uuid[];
  v_eligible jsonb[];
  v_rejected uuid[];
  v_more boolean;
  v_probe integer;
  v_chunk integer;
  v_prefer_lonely boolean;
  v_lock_tree boolean;
  v_cand jsonb;
  v_busy jsonb;
  v_result jsonb;
  v_answer jsonb;
  v_marks jsonb := '[]'::jsonb;
  v_mark jsonb;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('oa-task-request:' || p_user::text));
  SELECT count(*)::int INTO v_pending FROM tasks t WHERE t.user_id = p_user AND NOT t.done AND NOT t.skipped
    AND t.created_date > now() - make_interval(secs => (v_s->>'recentTasksSpanSec')::int);
  IF v_pending >= (p_plan->>'maxPending')::int THEN
    RETURN jsonb_build_object('status', 'pending', 'pending', v_pending);
  END IF;
  <<kinds>>
  FOR v_kind IN SELECT value FROM jsonb_array_elements(p_plan->'kinds') LOOP
    v_kind_name := v_kind->>'kind';
    IF v_kind_name = 'prompt' THEN
      IF oa_missing_prompts(p_lang, p_plan->'prompts') > 0 THEN
        v_answer := oa_insert_task(p_user, p_api_client, 'initial_prompt', NULL, NULL, p_lang, p_plan);
        EXIT kinds;
      END IF;
      CONTINUE;
    END IF;
    SELECT coalesce(array_agg(t::task_type), '{}') INTO v_all_types FROM jsonb_array_elements_text(v_kind->'types') t;
    SELECT coalesce(array_agg(t), '{}') INTO v_types FROM unnest(v_all_types) t
      WHERE NOT coalesce(p_plan->'exclude', '[]'::jsonb) ? t::text;
    v_lock_tree := coalesce((v_kind->>'lockTree')::boolean, false);
    v_prefer_lonely := coalesce((v_kind->>'preferLonely')::boolean, false);
    v_chunk := CASE WHEN v_prefer_lonely THEN 64 ELSE 8 END;
    v_rejected := '{}';
    FOR v_probe IN 1..3 LOOP
      v_ids := '{}';
      v_more := false;
      FOREACH v_type IN ARRAY v_types LOOP
        v_key_index := v_key_index + 1;
        SELECT array_agg(x.target_id ORDER BY x.part, x.sort_key) INTO v_sample FROM (
          SELECT target_id, part, sort_key FROM (
            (SELECT w.target_id, 0 AS part, w.sort_key FROM task_work w
              WHERE w.kind = v_type AND w.lang = p_lang AND w.sort_key >= (p_plan->'keys'->>(v_key_index - 1))::float8
                AND (w.full_until IS NULL OR w.full_until <= now())
              ORDER BY w.sort_key LIMIT 33)
            UNION ALL
            (SELECT w.target_id, 1 AS part, w.sort_key FROM task_work w
              WHERE w.kind = v_type AND w.lang = p_lang AND w.sort_key < (p_plan->'keys'->>(v_key_index - 1))::float8
                AND (w.full_until IS NULL OR w.full_until <= now())
              ORDER BY w.sort_key LIMIT 33)
          ) u ORDER BY part, sort_key LIMIT 33
        ) x;
        IF coalesce(array_length(v_sample, 1), 0) > 32 THEN
          v_more := true;
          v_sample := v_sample[1:32];
        END IF;
        v_ids := v_ids || coalesce(v_sample, '{}');
      END LOOP;
      EXIT WHEN coalesce(array_length(v_ids, 1), 0) = 0;
      v_ids := ARRAY(SELECT x FROM unnest(v_ids) x ORDER BY md5(x::text || v_seed));
      v_busy := '[]'::jsonb;
      FOR i IN 1..array_length(v_ids, 1) BY v_chunk LOOP
        v_chunk_ids := v_ids[i:i + v_chunk - 1];
        v_eligible := ARRAY(
          SELECT jsonb_build_object('id', e.id, 'tree', e.tree_id, 'type', e.type, 'wanted', e.type = ANY(v_types))
          FROM oa_eligible_targets(v_kind_name, v_chunk_ids, p_user, p_lang, v_s) e
          ORDER BY CASE WHEN v_prefer_lonely AND e.type = 'assistant_reply' AND e.children > 0
              AND e.children < (v_s->>'lonelyChildrenCount')::int THEN 0 ELSE 1 END,
            md5(e.id::text || v_seed));
        -- Targets the rules rejected for this user: checked for everyone (and marked) before the request answers.
        v_rejected := v_rejected || ARRAY(SELECT x FROM unnest(v_chunk_ids) x
          WHERE NOT EXISTS (SELECT 1 FROM unnest(v_eligible) c WHERE (c->>'id')::uuid = x));
        FOREACH v_cand IN ARRAY v_eligible LOOP
          CONTINUE WHEN NOT (v_cand->>'wanted')::boolean;
          v_result := oa_take_target(p_user, p_api_client, p_lang, v_kind_name, v_lock_tree, false, v_cand, p_plan);
          IF v_result = '"busy"'::jsonb THEN
            v_busy := v_busy || jsonb_build_array(v_cand);
          ELSIF v_result IS NOT NULL THEN
            v_answer := v_result;
            EXIT;
          END IF;
        END LOOP;
        EXIT WHEN v_answer IS NOT NULL;
      END LOOP;
      IF v_answer IS NULL THEN
        FOR v_cand IN SELECT value FROM jsonb_array_elements(v_busy) LOOP
          v_result := oa_take_target(p_user, p_api_client, p_lang, v_kind_name, v_lock_tree, true, v_cand, p_plan);
          IF v_result IS NOT NULL AND v_result <> '"busy"'::jsonb THEN
            v_answer := v_result;
            EXIT;
          END IF;
        END LOOP;
      END IF;
      -- Busy targets that were waited for and found taken do not count as "ineligible": sample again only when
      -- nothing in this sample was eligible and more exist.
      EXIT WHEN v_answer IS NOT NULL OR NOT v_more OR jsonb_array_length(v_busy) > 0;
    END LOOP;
    IF cardinality(v_rejected) > 0 THEN
      v_marks := v_marks || jsonb_build_array(jsonb_build_object('kind', v_kind_name, 'types', to_jsonb(v_all_types), 'ids', to_jsonb(v_rejected)));
    END IF;
    EXIT kinds WHEN v_answer IS NOT NULL;
  END LOOP;
  FOR v_mark IN SELECT value FROM jsonb_array_elements(v_marks) LOOP
    PERFORM oa_mark_full_targets(v_mark->>'kind', ARRAY(SELECT jsonb_array_elements_text(v_mark->'types'))::task_type[],
      ARRAY(SELECT jsonb_array_elements_text(v_mark->'ids'))::uuid[], p_lang, v_s, v_full_for_sec);
  END LOOP;
  RETURN coalesce(v_answer, jsonb_build_object('status', 'none'));
END
$$;
--> statement-breakpoint
ALTER FUNCTION oa_request_task(uuid, uuid, text, jsonb) SET plan_cache_mode = force_generic_plan;
