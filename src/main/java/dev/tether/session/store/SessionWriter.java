package dev.tether.session.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionResult;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.time.Instant;

/**
 * The one writer of a session. Every append costs O(size of the record), is fsynced before it returns, and gets the
 * next journal sequence number, which it returns. Thread-safe. Closing rewrites the snapshot when the journal is
 * non-empty, then releases the locks.
 */
public interface SessionWriter extends AutoCloseable {

    /** The session as of the last append. */
    Session current();

    /** Appends a transcript message; bumps {@code updated_at} to {@code at} (never backwards). */
    long appendMessage(Message message, Instant at);

    /**
     * Appends the user message of a prompt sent with an {@code Idempotency-Key} and records the key with it, in the
     * same journal record: the key is durable exactly when the message is. Remembered until {@code expiresAt}.
     */
    long appendKeyedPrompt(Message message, Instant at, String key, String requestHash, Instant expiresAt);

    /** Records how the turn of a keyed prompt ended (before its terminal event is emitted). */
    long recordTurnResult(String key, SessionResult result);

    /** Records a resolved tool call. */
    long appendToolUse(ToolUse toolUse);

    /** Replaces title, metadata and usage, and bumps {@code updated_at} to {@code at} when given (never backwards). */
    long updateMeta(String title, SessionMetadata metadata, Usage usage, Instant at);

    /** Records a durable event (its JSON, including {@code type}); returns its sequence, the SSE {@code id}. */
    long appendEvent(JsonNode event);

    /** The last sequence number written. */
    long lastSeq();

    /** Rewrites the snapshot atomically and rolls the journal (keeping retained events for replay). */
    void checkpoint();

    @Override
    void close();
}
