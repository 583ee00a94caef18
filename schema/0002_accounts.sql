-- 0002_accounts.sql — user accounts and login tokens.
-- Passwords are stored only as Argon2id strings (crypto_pwhash_str); tokens
-- only as the BLAKE2b-256 hash of the token, never the token itself.
CREATE TABLE users (
	id          INTEGER PRIMARY KEY,
	username    TEXT NOT NULL UNIQUE,
	pwhash      TEXT NOT NULL,
	created_at  INTEGER NOT NULL            -- Unix ms
);

CREATE TABLE tokens (
	hash        BLOB PRIMARY KEY,           -- crypto_generichash(token), 32 bytes
	user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at  INTEGER NOT NULL,
	renewed_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX tokens_by_user ON tokens(user_id);
CREATE INDEX tokens_by_expiry ON tokens(expires_at);
