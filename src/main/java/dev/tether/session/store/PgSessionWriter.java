package dev.tether.session.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionResult;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import dev.tether.session.Timestamps;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The single writer of one session of a {@link PgSessionStore}. It owns a connection holding the session's advisory
 * lock for its whole life. Every append is one transaction (journal row, listing columns, Idempotency-Key row, and
 * for a durable event a {@code NOTIFY}) committed before it returns; the in-memory state changes only after the
 * commit, so a failed append leaves neither the database nor this writer half-changed. Checkpoints (snapshot rewrite,
 * journal trimmed) happen at {@link #close()} and every {@code snapshot-every} records.
 */
final class PgSessionWriter implements SessionWriter {

    private static final Logger LOG = Logger.getLogger(PgSessionWriter.class);

    private final PgSessionStore store;
    private final Connection connection;
    private final SessionState state;
    private long lastSeq;
    private int pending;
    private boolean closed;

    PgSessionWriter(PgSessionStore store, Connection connection, SessionState state, long lastSeq, int pending) {
        this.store = store;
        this.connection = connection;
        this.state = state;
        this.lastSeq = lastSeq;
        this.pending = pending;
    }

    @Override
    public synchronized Session current() {
        return state.toSession();
    }

    @Override
    public synchronized long appendMessage(Message message, Instant at) {
        Objects.requireNonNull(message, "message");
        Instant when = at == null ? Instant.now() : at;
        long seq = write(store.records().message(lastSeq + 1, when, message), withMessage(when), null);
        state.addMessage(message, when);
        return appended(seq);
    }

    @Override
    public synchronized long appendKeyedPrompt(Message message, Instant at, String key, String requestHash,
                                               Instant expiresAt) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant when = at == null ? Instant.now() : at;
        KeyedTurn turn = KeyedTurn.started(key, requestHash, state.messageCount, lastSeq + 1, expiresAt);
        long seq = write(store.records().keyedMessage(lastSeq + 1, when, message, key, requestHash, expiresAt),
                withMessage(when), turn);
        state.keyTurn(turn);
        state.addMessage(message, when);
        return appended(seq);
    }

    @Override
    public synchronized long recordTurnResult(String key, SessionResult result) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(result, "result");
        KeyedTurn started = state.keyedTurns.get(key);
        KeyedTurn ended = started == null ? null : started.ended(result, lastSeq + 1);
        long seq = write(store.records().turnResult(lastSeq + 1, Instant.now(), key, result), state.summary(), ended);
        state.endKeyedTurn(key, result, seq);
        return appended(seq);
    }

    @Override
    public synchronized long appendToolUse(ToolUse toolUse) {
        Objects.requireNonNull(toolUse, "toolUse");
        long seq = write(store.records().toolUse(lastSeq + 1, Instant.now(), toolUse), state.summary(), null);
        state.addToolUse(toolUse);
        return appended(seq);
    }

    @Override
    public synchronized long updateMeta(String title, SessionMetadata metadata, Usage usage, Instant at) {
        SessionMetadata m = metadata == null ? SessionMetadata.DEFAULT : metadata;
        Usage u = usage == null ? Usage.ZERO : usage;
        Instant updated = at == null ? state.updatedAt : later(at);
        SessionSummary next = new SessionSummary(state.id, title, state.createdAt, updated, state.messageCount,
                state.agent, m.directory());
        long seq = write(store.records().meta(lastSeq + 1, at == null ? Instant.now() : at, title, m, u, updated),
                next, null);
        state.setMeta(title, m, u, at);
        return appended(seq);
    }

    @Override
    public synchronized long appendEvent(JsonNode event) {
        Objects.requireNonNull(event, "event");
        return appended(write(store.records().event(lastSeq + 1, Instant.now(), event), state.summary(), null));
    }

    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized void checkpoint() {
        ensureOpen();
        store.metrics().time(StoreMetrics.CHECKPOINT, () -> PgJdbc.transaction(connection,
                "Cannot checkpoint session " + state.id, c -> {
                    store.writeCheckpoint(c, state.toSession(), lastSeq);
                    return null;
                }));
        state.pruneKeyedTurns(Instant.now());
        pending = 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (pending > 0) {
                checkpoint();
            }
        } catch (StoreException e) {
            // Every record is already committed in the journal; the next load replays it.
            LOG.warnf("session %s: checkpoint at close failed: %s", state.id, e.getMessage());
        } finally {
            closed = true;
            release(connection, state.id);
        }
    }

    /**
     * Unlocks and returns a writer's connection to the pool. Should the unlock fail, the connection is broken, and the
     * server released the lock with it.
     */
    static void release(Connection c, String id) {
        try {
            c.setAutoCommit(true);
            PgJdbc.update(c, "SELECT pg_advisory_unlock_all()");
        } catch (SQLException e) {
            LOG.debugf("session %s: unlocking: SQLSTATE %s", id, e.getSQLState());
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debugf("session %s: closing the writer's connection: SQLSTATE %s", id, e.getSQLState());
        }
    }

    /** The listing columns after a message at {@code when}. */
    private SessionSummary withMessage(Instant when) {
        return new SessionSummary(state.id, state.title, state.createdAt, later(when), state.messageCount + 1,
                state.agent, state.metadata.directory());
    }

    /** {@code updated_at} never goes backwards. */
    private Instant later(Instant at) {
        Instant t = Timestamps.truncate(at);
        return t.isAfter(state.updatedAt) ? t : state.updatedAt;
    }

    /**
     * Commits one record: the journal row, the listing columns as they are after it, the Idempotency-Key row when
     * {@code keyed} is given, and the {@code NOTIFY} of a durable event.
     */
    private long write(ObjectNode record, SessionSummary after, KeyedTurn keyed) {
        ensureOpen();
        long seq = record.get("seq").asLong();
        String kind = record.get("kind").asText();
        String json = store.json(record);
        store.metrics().time(StoreMetrics.APPEND, () -> PgJdbc.transaction(connection,
                "Cannot append to session " + state.id, c -> {
                    PgJdbc.update(c, "INSERT INTO journal (session_id, seq, kind, record) VALUES (?, ?, ?, ?::jsonb)",
                            state.id, seq, kind, json);
                    PgJdbc.update(c, "UPDATE sessions SET title = ?, directory = ?, updated_at = ?, message_count = ?, "
                                    + "last_seq = ?, stored_bytes = stored_bytes + ? WHERE id = ?",
                            after.title(), after.directory(), after.updatedAt(), after.messageCount(), seq,
                            (long) json.length(), state.id);
                    if (keyed != null) {
                        PgJdbc.update(c, "INSERT INTO idempotency_keys (session_id, key, turn, expires_at) "
                                        + "VALUES (?, ?, ?::jsonb, ?) ON CONFLICT (session_id, key) "
                                        + "DO UPDATE SET turn = excluded.turn, expires_at = excluded.expires_at",
                                state.id, keyed.key(), store.json(keyed), keyed.expiresAt());
                    }
                    if (JournalRecords.EVENT.equals(kind)) {
                        PgJdbc.update(c, "SELECT pg_notify(?, ?)", PgSessionStore.EVENTS_CHANNEL, state.id + " " + seq);
                    }
                    return null;
                }));
        lastSeq = seq;
        return seq;
    }

    private long appended(long seq) {
        pending++;
        if (pending >= store.settings().snapshotEvery()) {
            checkpoint();
        }
        return seq;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer of session " + state.id + " is closed");
        }
    }
}
