package dev.tether.session.store;

import dev.tether.session.Cancellation;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Session;
import dev.tether.session.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of sessions (spec §9). Every method validates the id before any path is built and
 * throws the {@code dev.tether.session} exceptions: invalid id, not found, unreadable session, store unavailable.
 * All methods block on I/O: never call them on the event loop.
 */
public interface SessionStore {

    /** Persists a new session. Fails with {@code SessionBusyException} when the id already exists. */
    void create(Session session);

    /**
     * Replaces a stored session wholesale, atomically (import, history edits). Creates it when absent. Takes the
     * session's writer lock for the duration; fails with {@code SessionBusyException} when a writer holds it.
     */
    void save(Session session);

    /** The full session: snapshot plus journal replay. */
    Session load(String id);

    /** The session with only its last {@code n} messages and tool uses. */
    default SessionTail loadTail(String id, int n) {
        if (n < 0) {
            throw new InvalidRequestException("tail must be 0 or more");
        }
        return SessionTail.of(load(id), n);
    }

    /** Whether a session with this id is stored. */
    boolean exists(String id);

    /** Removes the session and everything recorded for it. Refused while a writer holds it. */
    void delete(String id);

    /** A page of summaries, newest first, without reading transcripts. */
    SessionPage list(ListQuery query);

    /** Every summary, newest first ({@code updated_at} descending, ties by id ascending). */
    List<SessionSummary> listAll();

    /** Every summary whose directory matches {@code directory} (spec §9 directory match), newest first. */
    default List<SessionSummary> listForDirectory(String directory) {
        List<SessionSummary> out = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            SessionPage page = list(new ListQuery(Optional.of(directory), ListQuery.MAX_LIMIT, cursor));
            out.addAll(page.sessions());
            cursor = Optional.ofNullable(page.nextCursor());
        } while (cursor.isPresent());
        return out;
    }

    /** The newest session of {@code directory} (spec §9 {@code last_for_directory}); empty when none matches. */
    default Optional<SessionSummary> lastForDirectory(String directory) {
        return list(new ListQuery(Optional.of(directory), 1, Optional.empty())).sessions().stream().findFirst();
    }

    /** Number of stored sessions (for the gauge). */
    int count();

    /**
     * Takes the single writer of a session: an in-process lock plus an OS file lock, so that neither another thread
     * nor another process on the same volume can write it until the writer is closed. Fails at once with
     * {@code SessionBusyException} when held.
     */
    SessionWriter openWriter(String id);

    /**
     * As {@link #openWriter}, but while another writer holds the session (another replica's advisory lock, another
     * process's file lock, another thread) retries with a short backoff (20 ms doubling to 200 ms) instead of failing:
     * for prompts queued with {@code if_busy: queue} (spec §3.1). Fails with {@code SessionBusyException} when the
     * session is still held after {@code bound}, and with {@link Cancellation.CancelledException} as soon as
     * {@code cancellation} fires.
     */
    default SessionWriter awaitWriter(String id, Duration bound, Cancellation cancellation) {
        return WriterWait.await(id, () -> openWriter(id), bound, cancellation);
    }

    /**
     * The turn recorded under an {@code Idempotency-Key} (spec §3.1) in the session, unless it expired by {@code now};
     * also after a restart. Unknown session → not found.
     */
    Optional<KeyedTurn> keyedTurn(String id, String key, Instant now);

    /** Durable events recorded after journal sequence {@code afterSeq}, in order (replay for late subscribers). */
    List<StoredEvent> eventsAfter(String id, long afterSeq);
}
