-- The ledger's rules, in the database (decision 009): every transaction's entries sum to zero,
-- checked at commit (a deferred constraint trigger, so a transaction may insert its entries one
-- by one), and entries are immutable: a mistake is corrected by a new transaction.
CREATE FUNCTION autodoctor_ledger_balanced() RETURNS trigger AS $$
DECLARE
  total bigint;
BEGIN
  SELECT coalesce(sum(amount_cents), 0) INTO total FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance (its entries sum to %)', NEW.transaction_id, total
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced
  AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION autodoctor_ledger_balanced();
--> statement-breakpoint
CREATE FUNCTION autodoctor_ledger_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are immutable: correct them with a new transaction' USING ERRCODE = '23514';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_immutable
  BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION autodoctor_ledger_immutable();
--> statement-breakpoint
-- A job that may run now wakes the runners of every process at commit (the payload is constant,
-- so one transaction enqueuing many jobs sends one notice).
CREATE FUNCTION autodoctor_notify_job() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('autodoctor_notices', '{"kind":"job"}');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER jobs_notify
  AFTER INSERT OR UPDATE OF state, run_at ON jobs
  FOR EACH ROW WHEN (NEW.state IN ('queued', 'retrying'))
  EXECUTE FUNCTION autodoctor_notify_job();
--> statement-breakpoint
-- Extension blocks of the seeded plans (payments.md §3), where an operator has not set them.
UPDATE plans SET extension_minutes = 10, extension_price_cents = 499 WHERE slug = 'quick' AND extension_minutes IS NULL;
--> statement-breakpoint
UPDATE plans SET extension_minutes = 15, extension_price_cents = 1299 WHERE slug = 'standard' AND extension_minutes IS NULL;
--> statement-breakpoint
UPDATE plans SET extension_minutes = 15, extension_price_cents = 1499 WHERE slug = 'diagnostic' AND extension_minutes IS NULL;
