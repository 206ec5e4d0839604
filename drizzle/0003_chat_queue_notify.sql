-- Wake-ups for the inference queue (issue 15 #7): every change of a job tells its reply streams (channel
-- `inference_job`, payload: the reply's chat message id), and a job entering or leaving the queue tells idle workers and the streams
-- waiting behind it (channel `inference_queue`, payload: the model config name). Notifications are delivered at commit;
-- on the embedded server they are not delivered across connections, and the app falls back to polling there.
CREATE OR REPLACE FUNCTION notify_inference_job() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  job inference_jobs%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN
    job := OLD;
  ELSE
    job := NEW;
  END IF;
  -- A lease renewal (heartbeat) changes nothing a stream shows: no wake-up, and no commit-time NOTIFY lock.
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.last_seq = OLD.last_seq AND NEW.attempts = OLD.attempts
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
--> statement-breakpoint
CREATE TRIGGER inference_jobs_notify
  AFTER INSERT OR UPDATE OR DELETE ON inference_jobs
  FOR EACH ROW EXECUTE FUNCTION notify_inference_job();
