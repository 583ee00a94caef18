-- 0008_cleared_scores_ended_by_extended.sql — three facts the record lacked.
--
-- A note may clear its item's score (note.add with score 0): the note is
-- kept, with cleared = 1, and the item has no score from then on until a
-- later note gives it one.
ALTER TABLE notes ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0
	CHECK (cleared IN (0, 1));

-- Who ended a session early (session.end): the interviewer (the reason
-- stays 'completed', shown as ended_early) or the candidate ('abandoned');
-- NULL when the clock or the server ended it.
ALTER TABLE sessions ADD COLUMN ended_by INTEGER REFERENCES users(id);

-- How much the interviewer extended the session's phases (phase.extend),
-- so that the allowance survives a restart.
ALTER TABLE sessions ADD COLUMN extended_ms INTEGER NOT NULL DEFAULT 0;
