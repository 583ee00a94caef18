-- 0007_tokens.sql — a login token becomes a device the user can see and
-- revoke: an integer id to name it by (tokens.revoke), the label the
-- client sent at login, the client's address at login, and when it was
-- last used (written at most once an hour). Tokens stored before keep
-- working: their hash moves over, label and address stay unknown (NULL),
-- and last use is their last renewal.
CREATE TABLE tokens_new (
	id            INTEGER PRIMARY KEY,
	hash          BLOB NOT NULL UNIQUE,       -- crypto_generichash(token), 32 bytes
	user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at    INTEGER NOT NULL,           -- Unix ms: the login
	renewed_at    INTEGER NOT NULL,
	expires_at    INTEGER NOT NULL,           -- sliding, never past the absolute life
	last_used_at  INTEGER NOT NULL,
	label         TEXT,                       -- the client's, at most 64 bytes
	address       TEXT                        -- the client's address at login
);

INSERT INTO tokens_new (hash, user_id, created_at, renewed_at, expires_at,
    last_used_at)
	SELECT hash, user_id, created_at, renewed_at, expires_at, renewed_at
	FROM tokens ORDER BY created_at;

DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;

CREATE INDEX tokens_by_user ON tokens(user_id);
CREATE INDEX tokens_by_expiry ON tokens(expires_at);
