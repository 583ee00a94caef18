-- 0006_chat_client_id_per_sender.sql — a chat message's client_id is the
-- sender's own: de-duplicate per (session, sender), so that one side cannot
-- pre-empt the other's ids (a message of the peer's silently taken for a
-- resend of one's own).
DROP INDEX chat_by_client_id;

CREATE UNIQUE INDEX chat_by_sender_client_id ON chat(session_id, from_id,
	client_id) WHERE client_id IS NOT NULL;
