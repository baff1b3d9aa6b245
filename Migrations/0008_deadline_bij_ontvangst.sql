-- Issue 14, item 5: lateness follows the deadline in force, so the deadline that applied when a
-- version was received is kept beside it (for the receipt and the audit log). Versions stored
-- before this migration have none (NULL); adding a column does not touch the append-only
-- triggers, which refuse UPDATE and DELETE of rows, not a schema change.
ALTER TABLE versies ADD COLUMN deadline_bij_ontvangst INTEGER;  -- Unix milliseconds, NULL: none set or not recorded
