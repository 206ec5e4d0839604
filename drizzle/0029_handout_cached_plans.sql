-- Statements of the work-row upkeep and of the task payload that PostgreSQL planned on every call (issue 15). A
-- LANGUAGE sql function that is not inlined (one that writes, or one called with a subquery among its arguments)
-- gets its statements planned again at each call; PL/pgSQL keeps a plan per connection. Measured on the 1M seed, 300
-- calls in a loop: oa_task_work_refresh 0.81-1.16 -> 0.51-0.74 ms a call; oa_message_views (a task's thread)
-- 0.21-0.38 -> 0.12-0.13 ms. The work-row functions become PL/pgSQL with the same statements; oa_task_payload passes
-- oa_message_views its ids in a variable, so the planner inlines it into the payload's statement.

-- oa_task_work_refresh of migration handout_task_work_triggers, same statement.
CREATE OR REPLACE FUNCTION oa_task_work_refresh(p_targets uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
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
END
$$;
--> statement-breakpoint
-- oa_task_work_refresh_trees of migration handout_task_work_triggers, same statements.
CREATE OR REPLACE FUNCTION oa_task_work_refresh_trees(p_trees uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_work WHERE tree_id = ANY(p_trees)
    AND target_id NOT IN (SELECT id FROM messages WHERE message_tree_id = ANY(p_trees));
  PERFORM oa_task_work_refresh(array(SELECT id FROM messages WHERE message_tree_id = ANY(p_trees)));
END
$$;
--> statement-breakpoint
-- oa_task_work_rebuild of migration handout_task_work_triggers (the repair tool), same statements.
CREATE OR REPLACE FUNCTION oa_task_work_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_work w WHERE NOT EXISTS (
    SELECT 1 FROM message_tree_states s WHERE s.message_tree_id = w.tree_id AND s.active);
  PERFORM oa_task_work_refresh_trees(array(SELECT message_tree_id FROM message_tree_states WHERE active));
END
$$;
--> statement-breakpoint
-- oa_task_work_unblock of migration handout_full_marks, same statement.
CREATE OR REPLACE FUNCTION oa_task_work_unblock(p_trees uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_work w SET full_until = NULL
  WHERE w.ctid = ANY(ARRAY(
    SELECT x.ctid FROM task_work x WHERE x.tree_id = ANY(p_trees) AND x.full_until IS NOT NULL
    FOR UPDATE SKIP LOCKED));
END
$$;
--> statement-breakpoint
-- oa_task_payload of migration handout_one_statement; the message ids go to oa_message_views in a variable.
CREATE OR REPLACE FUNCTION oa_task_payload(p_type task_type, p_target uuid, p_tree uuid, p_user uuid, p_lang text, p_plan jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_conversation jsonb;
  v_replies jsonb;
  v_reveal boolean;
  v_ids uuid[];
BEGIN
  IF p_type = 'initial_prompt' THEN
    RETURN jsonb_build_object('type', p_type, 'lang', p_lang, 'hint', NULL);
  END IF;
  v_ids := ARRAY(SELECT t.id FROM oa_thread_ids(p_target) t);
  SELECT coalesce(jsonb_agg(v.view ORDER BY v.depth), '[]'::jsonb) INTO v_conversation
    FROM oa_message_views(v_ids, p_user, true) v;
  IF p_type IN ('prompter_reply', 'assistant_reply') THEN
    RETURN jsonb_build_object('type', p_type, 'lang', p_lang, 'conversation', v_conversation);
  ELSIF p_type IN ('label_initial_prompt', 'label_prompter_reply', 'label_assistant_reply') THEN
    RETURN (p_plan->'labels'->(p_type::text)) || jsonb_build_object('type', p_type, 'lang', p_lang, 'messageId', p_target,
      'conversation', v_conversation);
  END IF;
  -- Rank tasks: synthetic replies are only revealed when all of them are (OA: otherwise `synthetic` is nulled).
  SELECT count(*) > 0 AND bool_and(c.synthetic) INTO v_reveal FROM messages c
    WHERE c.parent_id = p_target AND NOT c.deleted AND c.review_result IS TRUE;
  v_ids := ARRAY(SELECT c.id FROM messages c WHERE c.parent_id = p_target AND NOT c.deleted AND c.review_result IS TRUE);
  SELECT coalesce(jsonb_agg(v.view ORDER BY md5(v.id::text || (p_plan->>'seed'))), '[]'::jsonb) INTO v_replies
    FROM oa_message_views(v_ids, p_user, v_reveal) v;
  RETURN jsonb_build_object('type', p_type, 'lang', p_lang, 'conversation', v_conversation,
    'replies', v_replies, 'rankingParentId', p_target, 'messageTreeId', p_tree, 'revealSynthetic', v_reveal);
END
$$;
