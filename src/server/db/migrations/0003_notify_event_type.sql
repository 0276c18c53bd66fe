-- The notice also names the event type and, for chat messages, the seq: listeners can read just
-- the message instead of the event row first. Still ids only, far below NOTIFY's 8000 bytes.
CREATE OR REPLACE FUNCTION autodoctor_notify_session_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(
    'autodoctor_notices',
    json_build_object(
      'kind', 'session',
      'sessionId', NEW.session_id,
      'eventId', NEW.id,
      'type', NEW.type,
      'seq', (NEW.payload ->> 'seq')::int
    )::text
  );
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
