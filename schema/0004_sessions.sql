-- 0004_sessions.sql — interview sessions and everything recorded in them.
-- A live session's row is updated at every phase change, so that a restart
-- (even after kill -9) finds it where it was: phase deadlines are wall-clock
-- Unix ms and the phase lengths are the session's own.
CREATE TABLE sessions (
	id              INTEGER PRIMARY KEY,
	interviewer_id  INTEGER NOT NULL REFERENCES users(id),
	candidate_id    INTEGER NOT NULL REFERENCES users(id),
	question_id     TEXT NOT NULL REFERENCES questions(id),
	origin          TEXT NOT NULL CHECK (origin IN ('queue', 'room', 'swap')),
	swap_of         INTEGER REFERENCES sessions(id),
	phase           TEXT NOT NULL CHECK (phase IN ('prep', 'answer',
	                    'followup', 'scoring', 'done')),
	phase_lengths   TEXT NOT NULL,          -- JSON [prep, answer, followup, scoring] s
	phase_ends_at   INTEGER,                -- NULL when done
	prefs           TEXT,                   -- JSON: each side's queue preferences
	created_at      INTEGER NOT NULL,
	ended_at        INTEGER,
	reason          TEXT CHECK (reason IN ('completed', 'abandoned', 'no_show')),
	overall         REAL
);

CREATE INDEX sessions_by_interviewer ON sessions(interviewer_id, id);
CREATE INDEX sessions_by_candidate ON sessions(candidate_id, id);
CREATE INDEX sessions_live ON sessions(phase) WHERE phase <> 'done';
CREATE INDEX sessions_by_swap ON sessions(swap_of) WHERE swap_of IS NOT NULL;

-- The phase timeline: one row per phase a session went through.
CREATE TABLE session_phases (
	session_id  INTEGER NOT NULL REFERENCES sessions(id),
	phase       TEXT NOT NULL,
	started_at  INTEGER NOT NULL,
	ended_at    INTEGER,
	PRIMARY KEY (session_id, phase)
) WITHOUT ROWID;

-- The interviewer's notes: free text against a checklist item, a red flag
-- or 'general', with an optional 1-4 score or red-flag tick. The latest
-- score (flag) per item counts. client_id lets a client resend safely.
CREATE TABLE notes (
	id          INTEGER PRIMARY KEY,
	session_id  INTEGER NOT NULL REFERENCES sessions(id),
	author_id   INTEGER NOT NULL REFERENCES users(id),
	client_id   TEXT,
	item        TEXT NOT NULL,
	text        TEXT NOT NULL DEFAULT '',
	score       INTEGER CHECK (score BETWEEN 1 AND 4),
	flag        INTEGER CHECK (flag IN (0, 1)),
	at          INTEGER NOT NULL
);

CREATE INDEX notes_by_session ON notes(session_id, id);
CREATE UNIQUE INDEX notes_by_client_id ON notes(session_id, client_id)
	WHERE client_id IS NOT NULL;

CREATE TABLE chat (
	id          INTEGER PRIMARY KEY,
	session_id  INTEGER NOT NULL REFERENCES sessions(id),
	from_id     INTEGER NOT NULL REFERENCES users(id),
	text        TEXT NOT NULL,
	at          INTEGER NOT NULL
);

CREATE INDEX chat_by_session ON chat(session_id, id);

-- The candidate's rating of the interviewing, once per session.
CREATE TABLE feedback (
	session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
	from_id     INTEGER NOT NULL REFERENCES users(id),
	rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
	text        TEXT NOT NULL DEFAULT '',
	at          INTEGER NOT NULL
);
