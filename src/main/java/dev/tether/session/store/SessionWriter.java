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
 * The one writer of a session. Thread-safe.
 *
 * <p><b>Group commit.</b> An append <em>stages</em> a record: it costs O(size of the record), gets the next journal
 * sequence number (which it returns) and shows in {@link #current()} at once, but it is durable only once a later
 * {@link #commit()} returned. A commit is a <em>durability point</em>: every record staged since the previous one
 * becomes durable together, once (the file store: one write and one fsync of the journal; a database store: one
 * transaction). Callers commit before they acknowledge anything that names a staged record (a result, a durable event
 * delivered to a subscriber) and before work whose loss a crash may not forget (a provider call, a tool run): see
 * {@code TurnRunner} for the points of a turn. {@link #close()} commits what is still staged.
 *
 * <p>A commit that fails loses the records staged since the previous commit, and the writer becomes unusable: every
 * later append or commit fails, {@link #current()} no longer matches what is stored, and the session is re-read by
 * the next writer. Closing releases the locks.
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

    /** The last sequence number given out (staged or committed). */
    long lastSeq();

    /**
     * Makes every record staged since the previous commit durable, together (one durability point); does nothing
     * when none is staged. Returns the last sequence number, now durable.
     *
     * @throws dev.tether.session.StoreException the records could not be made durable (they are lost, see above)
     */
    long commit();

    /** Commits, then rewrites the snapshot atomically and rolls the journal (keeping retained events for replay). */
    void checkpoint();

    @Override
    void close();
}
