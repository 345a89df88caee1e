-- 0002-billing.sql — prices the user edited, credit reservations, and
-- guards that keep the credit ledger and its cached balance honest.
--
-- Same conventions as 0001 (ids, microsecond times, tombstones).

-- The user's own prices per million tokens, in millionths of a currency
-- unit. Built-in prices live in the code (billing/wr-billing.c); a row here
-- with the same pattern replaces the built-in one, other patterns add to
-- it. @pattern is a glob over model names ("gpt-4o-mini*", "*haiku*").
CREATE TABLE model_prices (
  id                      TEXT PRIMARY KEY NOT NULL,
  pattern                 TEXT NOT NULL UNIQUE CHECK (length(pattern) > 0),
  input_micros_per_mtok   INTEGER NOT NULL CHECK (input_micros_per_mtok >= 0),
  output_micros_per_mtok  INTEGER NOT NULL CHECK (output_micros_per_mtok >= 0),
  created_at              INTEGER NOT NULL,
  updated_at              INTEGER NOT NULL,
  deleted_at              INTEGER
);

-- Credits held for a model call before it runs. The reserving ledger row
-- has the same id. A reservation settles exactly once: settled_at goes
-- from NULL to a time, and settled_amount is what was finally charged.
CREATE TABLE credit_reservations (
  id              TEXT PRIMARY KEY NOT NULL REFERENCES credit_ledger (id),
  amount          INTEGER NOT NULL CHECK (amount >= 0),
  settled_amount  INTEGER CHECK (settled_amount IS NULL OR settled_amount >= 0),
  settled_at      INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  deleted_at      INTEGER
);
CREATE INDEX credit_reservations_open ON credit_reservations (created_at)
  WHERE settled_at IS NULL;

-- The balance never goes below zero, whoever writes it.
CREATE TRIGGER profile_credits_not_negative
  BEFORE UPDATE OF credits_balance ON profile
  WHEN NEW.credits_balance < 0
BEGIN
  SELECT RAISE (ABORT, 'credits balance cannot go below zero');
END;

-- The ledger is append-only: its rows are the history the balance is
-- checked against.
CREATE TRIGGER credit_ledger_no_update
  BEFORE UPDATE OF delta, reason, created_at ON credit_ledger
BEGIN
  SELECT RAISE (ABORT, 'credit ledger rows cannot change');
END;

CREATE TRIGGER credit_ledger_no_delete
  BEFORE DELETE ON credit_ledger
BEGIN
  SELECT RAISE (ABORT, 'credit ledger rows cannot be deleted');
END;

