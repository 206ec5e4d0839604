-- The hand-out's rules with lookups that stay bounded however large the campaign (issue 15). The generic plans of
-- the rules found a target's tree state row among every active tree of the language in the state they check
-- (a hash of all growing trees per reply check, an index range over every tree in ranking or in review): now each
-- candidate's state row is read by its key alone (a LATERAL subquery that is not pulled up and has no other
-- condition, so no statistics can make it a scan by state), and the state is checked on the row.
-- A contributor's own labels, emojis and rankings on a target are looked up per target (a correlated subquery, not an
-- anti-join the planner may run as a scan of all the contributor's rows once per target: seen for labels on the 1M
-- seed). The reply rules count a tree's size and reservations once per tree, and only for trees with a candidate that
-- has room among its children. oa_request_task checks lonely parents 8 at a time like every other kind: the sample is
-- ordered lonely-first by the maintained children_count (one keyed read per sampled id), instead of running the rules
-- over the whole sample of 64 so that the preference could span it.

-- Reply tasks: oa_reply_targets of migration handout_one_statement, same rules.
CREATE OR REPLACE FUNCTION oa_reply_targets(p_ids uuid[], p_user uuid, p_lang text, p_s jsonb)
RETURNS TABLE (id uuid, role message_role, message_tree_id uuid, children integer) LANGUAGE sql STABLE AS $$
  WITH parents AS MATERIALIZED (
    SELECT p.id, p.role, p.message_tree_id, p.children, p.goal_tree_size FROM (
      SELECT m.id, m.role, m.message_tree_id, s.goal_tree_size, s.max_children_count,
        (SELECT count(*) FROM messages c WHERE c.parent_id = m.id AND oa_counts_toward_size(c, p_s))::int AS children,
        (SELECT r.n FROM oa_target_reserved(m.id, '{prompter_reply,assistant_reply}', p_user, p_s) r) AS reserved
      FROM messages m
      CROSS JOIN LATERAL (SELECT s.* FROM message_tree_states s WHERE s.message_tree_id = m.message_tree_id OFFSET 0) s
      WHERE m.id = ANY(p_ids) AND s.active AND s.state = 'growing' AND s.lang = p_lang AND m.depth < s.max_depth
        AND NOT m.deleted AND m.review_result IS TRUE
        AND (SELECT NOT EXISTS (SELECT 1 FROM message_emojis e WHERE e.message_id = m.id AND e.user_id = p_user AND e.emoji = '_skip_reply'))
        AND (SELECT NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = m.id AND c.user_id = p_user AND NOT c.deleted))
        AND NOT EXISTS (SELECT 1 FROM oa_own_open_tasks(m.id, '{prompter_reply,assistant_reply}', p_user))
    ) p
    WHERE p.children + p.reserved < CASE WHEN p.role = 'prompter' THEN p.max_children_count
                                         ELSE least(p.max_children_count, (p_s->>'numPrompterReplies')::int) END
  ),
  trees AS (
    SELECT t.message_tree_id,
      (SELECT count(*) FROM messages c WHERE c.message_tree_id = t.message_tree_id AND oa_counts_toward_size(c, p_s))::int AS tree_size,
      (SELECT count(*) FROM tasks k WHERE k.message_tree_id = t.message_tree_id AND k.type IN ('prompter_reply', 'assistant_reply')
        AND NOT k.done AND NOT k.skipped AND k.created_date > now() - make_interval(secs => (p_s->>'recentTasksSpanSec')::int)
        AND (k.expiry_date IS NULL OR k.expiry_date > now()))::int AS tree_reserved
    FROM (SELECT DISTINCT parents.message_tree_id FROM parents) t
  )
  SELECT p.id, p.role, p.message_tree_id, p.children FROM parents p
  JOIN trees t ON t.message_tree_id = p.message_tree_id
  WHERE t.tree_size + t.tree_reserved < p.goal_tree_size
$$;
--> statement-breakpoint
-- Review tasks: oa_review_targets of migration handout_one_statement, same rules.
CREATE OR REPLACE FUNCTION oa_review_targets(p_ids uuid[], p_user uuid, p_lang text, p_roots boolean, p_s jsonb)
RETURNS TABLE (id uuid, role message_role, message_tree_id uuid) LANGUAGE sql STABLE AS $$
  SELECT m.id, m.role, m.message_tree_id FROM messages m
  CROSS JOIN LATERAL (SELECT s.* FROM message_tree_states s WHERE s.message_tree_id = m.message_tree_id OFFSET 0) s
  WHERE m.id = ANY(p_ids) AND s.active
    AND s.state = (CASE WHEN p_roots THEN 'initial_prompt_review' ELSE 'growing' END)::tree_state
    AND m.lang = p_lang AND (m.parent_id IS NULL) = p_roots
    AND NOT m.deleted AND m.review_result IS NOT TRUE
    AND oa_reviews_still_needed(m, p_s)
      - (SELECT r.n FROM oa_target_reserved(m.id, '{label_initial_prompt,label_prompter_reply,label_assistant_reply}', p_user, p_s) r) > 0
    AND m.user_id IS DISTINCT FROM p_user
    AND (SELECT NOT EXISTS (SELECT 1 FROM message_emojis e WHERE e.message_id = m.id AND e.user_id = p_user AND e.emoji = '_skip_labeling'))
    AND (SELECT NOT EXISTS (SELECT 1 FROM text_labels l WHERE l.message_id = m.id AND l.user_id = p_user AND l.task_id IS NOT NULL))
    AND NOT EXISTS (SELECT 1 FROM oa_own_open_tasks(m.id, '{label_initial_prompt,label_prompter_reply,label_assistant_reply}', p_user))
$$;
--> statement-breakpoint
-- Ranking tasks: oa_rank_targets of migration quality_adaptive_rules, same rules.
CREATE OR REPLACE FUNCTION oa_rank_targets(p_ids uuid[], p_user uuid, p_lang text, p_s jsonb)
RETURNS TABLE (parent_id uuid, parent_role message_role, message_tree_id uuid) LANGUAGE sql STABLE AS $$
  SELECT c.parent_id, p.role, p.message_tree_id FROM messages p
  CROSS JOIN LATERAL (SELECT s.* FROM message_tree_states s WHERE s.message_tree_id = p.message_tree_id OFFSET 0) s
  JOIN messages c ON c.parent_id = p.id
  WHERE p.id = ANY(p_ids) AND s.active AND s.state = 'ranking' AND p.lang = p_lang
    AND NOT c.deleted AND c.review_result IS TRUE
    AND ((p_s->>'rankPrompterReplies')::boolean OR p.role = 'prompter')
    AND (SELECT NOT EXISTS (SELECT 1 FROM message_emojis e WHERE e.message_id = p.id AND e.user_id = p_user AND e.emoji = '_skip_ranking'))
    AND (SELECT NOT EXISTS (SELECT 1 FROM message_reactions r WHERE r.message_id = p.id AND r.user_id = p_user))
    AND NOT EXISTS (SELECT 1 FROM oa_own_open_tasks(p.id, '{rank_assistant_replies,rank_prompter_replies}', p_user))
  GROUP BY c.parent_id, p.role, p.message_tree_id, p.id
  HAVING count(*) > 1
    AND bool_and(c.user_id IS DISTINCT FROM p_user)
    AND (SELECT count(*) FROM message_reactions r JOIN tasks t ON t.id = r.task_id WHERE t.done AND r.message_id = p.id)
      + (SELECT r.n FROM oa_target_reserved(p.id, '{rank_assistant_replies,rank_prompter_replies}', p_user, p_s) r)
      < oa_rankings_needed(p, p_s)
$$;
--> statement-breakpoint
-- oa_request_task of migration handout_full_marks; lonely parents are checked 8 at a time, ordered first.
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
  v_chunk constant integer := 8;
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
      -- A random order; with the lonely preference, parents that look lonely by their maintained count of live
      -- children come first (within each chunk the rules then rank by counted children, which the preference is about).
      IF v_prefer_lonely THEN
        v_ids := ARRAY(SELECT x FROM unnest(v_ids) x LEFT JOIN messages m ON m.id = x
          ORDER BY CASE WHEN m.role = 'prompter' AND m.children_count > 0
              AND m.children_count < (v_s->>'lonelyChildrenCount')::int THEN 0 ELSE 1 END,
            md5(x::text || v_seed));
      ELSE
        v_ids := ARRAY(SELECT x FROM unnest(v_ids) x ORDER BY md5(x::text || v_seed));
      END IF;
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
