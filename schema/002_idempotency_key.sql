-- The Idempotency-Key of POST /api/messages, stored with the row it created: a retried POST
-- (a lost answer, a failover) finds the first row through the unique index instead of
-- storing a second one, on whichever app server and primary it lands.
--
-- Expand-only: a nullable column with no default and an index, so the previous app version,
-- which names its columns and never this one, keeps working while both run. NULLs do not
-- collide in a UNIQUE index, so rows without a key are unconstrained.
-- ASCII with a binary no-pad collation: keys are printable ASCII compared byte for byte
-- ("Key" is not "key", and "k" is not "k ").
-- LOCK=NONE: the statement fails rather than block writes if it cannot run online.
ALTER TABLE messages
  ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR(128) CHARACTER SET ascii COLLATE ascii_nopad_bin NULL,
  ADD UNIQUE INDEX IF NOT EXISTS messages_idempotency_key (idempotency_key),
  ALGORITHM=INPLACE, LOCK=NONE;
