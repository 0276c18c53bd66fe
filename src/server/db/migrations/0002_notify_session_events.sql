-- Every committed session_events row announces itself on the realtime channel: NOTIFY from a
-- trigger is transactional (sent only if the event commits, at commit) and costs no round trip.
-- The payload carries ids only; listeners read the committed row.
CREATE FUNCTION autodoctor_notify_session_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(
    'autodoctor_notices',
    json_build_object('kind', 'session', 'sessionId', NEW.session_id, 'eventId', NEW.id)::text
  );
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER session_events_notify
  AFTER INSERT ON session_events
  FOR EACH ROW EXECUTE FUNCTION autodoctor_notify_session_event();
