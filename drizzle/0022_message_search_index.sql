CREATE TABLE "message_search" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_search_backlog" (
	"message_id" uuid NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "message_search" ADD CONSTRAINT "message_search_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Text search moves off `messages` (issue 15 item 6): the GIN indexes of migration admin_queue_triggers cost ~7/8 of
-- every insert into `messages` (20,000 rows of fixture text: 0.23 s with a primary key only, 5.8 s with both GIN
-- indexes), which capped a dataset import at ~2,500 messages/s. Searches read `message_search` (indexed) plus the
-- current text of the messages still in `message_search_backlog` (domain/messages/search-index.ts), so results stay
-- complete while the indexer catches up. Existing messages are copied and indexed here in bulk: one GIN build is far
-- cheaper per row than incremental inserts.
INSERT INTO message_search (message_id, text) SELECT id, text FROM messages;
--> statement-breakpoint
CREATE INDEX message_search_fts_idx ON message_search USING gin (to_tsvector('simple', text));
--> statement-breakpoint
CREATE INDEX message_search_trgm_idx ON message_search USING gin (text gin_trgm_ops);
--> statement-breakpoint
DROP INDEX IF EXISTS messages_text_fts_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS messages_text_trgm_idx;
--> statement-breakpoint
-- Every inserted message waits for the indexer (one statement per insert statement, like the other triggers).
CREATE OR REPLACE FUNCTION oa_message_search_queue_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO message_search_backlog (message_id) SELECT id FROM new_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER message_search_inserted AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oa_message_search_queue_inserted();
--> statement-breakpoint
-- A changed text waits again. A row trigger limited to `text`: the frequent updates of emojis, ranks and review
-- results never reach it. Always a new backlog row (no unique key): it becomes visible when the change commits, so
-- the indexer can never consume it before it can read the new text.
CREATE OR REPLACE FUNCTION oa_message_search_queue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO message_search_backlog (message_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER message_search_text_changed AFTER UPDATE OF text ON messages
  FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION oa_message_search_queue_changed();
--> statement-breakpoint
-- The indexer: takes up to p_limit backlog rows (SKIP LOCKED), deletes them and writes those messages' current text
-- to `message_search`. Returns the rows taken, or NULL when another indexer holds the lock. One indexer at a time,
-- and its statement starts after the lock: each run then reads texts at least as new as every backlog row it takes,
-- and no older run can overwrite a newer text afterwards (two overlapping runs could: a run that read an older text
-- upserting last).
CREATE OR REPLACE FUNCTION oa_index_search_backlog(p_limit integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  taken_rows integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('oa-job:message-search-index')) THEN
    RETURN NULL;
  END IF;
  WITH taken AS (
    DELETE FROM message_search_backlog b
    WHERE b.ctid = ANY(ARRAY(SELECT x.ctid FROM message_search_backlog x LIMIT p_limit FOR UPDATE SKIP LOCKED))
    RETURNING b.message_id
  ),
  written AS (
    INSERT INTO message_search (message_id, text)
    SELECT m.id, m.text FROM messages m WHERE m.id IN (SELECT message_id FROM taken)
    ON CONFLICT (message_id) DO UPDATE SET text = excluded.text WHERE message_search.text IS DISTINCT FROM excluded.text
    RETURNING 1
  )
  SELECT count(*) INTO taken_rows FROM taken;
  RETURN taken_rows;
END $$;
