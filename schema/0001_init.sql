-- 0001_init.sql — the database's own bookkeeping.
-- Migrations are applied in order at start, each in one transaction, and
-- tracked with PRAGMA user_version (set by mockintd, not by these files).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('created_at', CAST(strftime('%s', 'now') AS TEXT));
