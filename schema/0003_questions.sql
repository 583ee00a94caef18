-- 0003_questions.sql — the question bank's copy (server/store_questions.c).
-- The question files are the source of truth and are upserted at start; a
-- question whose file disappeared keeps its row with active = 0, so that
-- interview history still shows what was asked. data is the interviewer's
-- JSON view of the question (bank_view_interviewer), the rest are copies
-- of its identity fields for choosing and listing.
CREATE TABLE questions (
	id          TEXT PRIMARY KEY,           -- stable: the Id: header or the title's slug
	title       TEXT NOT NULL,
	category    TEXT NOT NULL,              -- canonical key: behavioral, coding, ...
	difficulty  TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
	company     TEXT,
	round       TEXT,
	data        TEXT NOT NULL,              -- JSON
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at  INTEGER NOT NULL,           -- Unix ms
	updated_at  INTEGER NOT NULL            -- Unix ms, last change of the row
);

CREATE INDEX questions_by_choice ON questions(active, category, difficulty);
