-- 0005_chat_client_id.sql — chat messages may carry a client-chosen id,
-- like notes: a client that resends a message after a reconnect (its
-- acknowledgement lost) does not store it twice.
ALTER TABLE chat ADD COLUMN client_id TEXT;

CREATE UNIQUE INDEX chat_by_client_id ON chat(session_id, client_id)
	WHERE client_id IS NOT NULL;
