-- Queue latency (issue 15 #1): a chunk append (`appendChunk`) now sends its own notification on `inference_job`
-- carrying the chunk ({"m": reply id, "s": seq, "t": text}), so a stream can show the token without reading it back.
-- The trigger therefore stays quiet when an update only moved `last_seq` (and the lease); every other change of a job
-- (status, attempt, stop request) still notifies with the plain reply id, which makes streams read the job again.
CREATE OR REPLACE FUNCTION notify_inference_job() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  job inference_jobs%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN
    job := OLD;
  ELSE
    job := NEW;
  END IF;
  -- A lease renewal (heartbeat) or a chunk append changes nothing a stream must read back: no wake-up here (the
  -- append notifies with its chunk itself), and no commit-time NOTIFY lock for a heartbeat.
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.attempts = OLD.attempts
     AND NEW.stop_requested_at IS NOT DISTINCT FROM OLD.stop_requested_at THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('inference_job', job.chat_message_id::text);
  IF (TG_OP = 'INSERT' AND NEW.status = 'queued')
     OR (TG_OP = 'UPDATE' AND (OLD.status = 'queued') IS DISTINCT FROM (NEW.status = 'queued'))
     OR (TG_OP = 'DELETE' AND OLD.status = 'queued') THEN
    PERFORM pg_notify('inference_queue', job.model_config_name);
  END IF;
  RETURN NULL;
END;
$$;
