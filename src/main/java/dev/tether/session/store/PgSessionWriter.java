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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The single writer of one session of a {@link PgSessionStore}. It owns a connection holding the session's advisory
 * lock for its whole life. Appends stage records in memory (state, sequence); {@link #commit()} makes them durable in
 * one transaction (journal rows, the listing columns, Idempotency-Key rows, and a {@code NOTIFY} per durable event,
 * sent by the server at commit). A failed commit rolls the whole transaction back, so nothing is half-written; the
 * staged records are lost and the writer refuses further writes (the next writer re-reads the session). Checkpoints
 * (snapshot rewrite, journal trimmed) happen at {@link #close()} and every {@code snapshot-every} records.
 */
final class PgSessionWriter implements SessionWriter {

    private static final Logger LOG = Logger.getLogger(PgSessionWriter.class);

    /** A record waiting for the next commit, with the Idempotency-Key row it sets, if any. */
    private record Staged(long seq, String kind, String json, KeyedTurn keyed) {
    }

    private final PgSessionStore store;
    private final Connection connection;
    private final SessionState state;
    private final List<Staged> staged = new ArrayList<>();
    private long lastSeq;
    /** Committed records the snapshot does not include yet. */
    private int pending;
    private boolean failed;
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
        long seq = stage(store.records().message(lastSeq + 1, when, message), null);
        state.addMessage(message, when);
        return seq;
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
        long seq = stage(store.records().keyedMessage(lastSeq + 1, when, message, key, requestHash, expiresAt), turn);
        state.keyTurn(turn);
        state.addMessage(message, when);
        return seq;
    }

    @Override
    public synchronized long recordTurnResult(String key, SessionResult result) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(result, "result");
        KeyedTurn started = state.keyedTurns.get(key);
        KeyedTurn ended = started == null ? null : started.ended(result, lastSeq + 1);
        long seq = stage(store.records().turnResult(lastSeq + 1, Instant.now(), key, result), ended);
        state.endKeyedTurn(key, result, seq);
        return seq;
    }

    @Override
    public synchronized long appendToolUse(ToolUse toolUse) {
        Objects.requireNonNull(toolUse, "toolUse");
        long seq = stage(store.records().toolUse(lastSeq + 1, Instant.now(), toolUse), null);
        state.addToolUse(toolUse);
        return seq;
    }

    @Override
    public synchronized long updateMeta(String title, SessionMetadata metadata, Usage usage, Instant at) {
        SessionMetadata m = metadata == null ? SessionMetadata.DEFAULT : metadata;
        Usage u = usage == null ? Usage.ZERO : usage;
        Instant updated = at == null ? state.updatedAt : later(at);
        long seq = stage(store.records().meta(lastSeq + 1, at == null ? Instant.now() : at, title, m, u, updated),
                null);
        state.setMeta(title, m, u, at);
        return seq;
    }

    @Override
    public synchronized long appendEvent(JsonNode event) {
        Objects.requireNonNull(event, "event");
        return stage(store.records().event(lastSeq + 1, Instant.now(), event), null);
    }

    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized long commit() {
        ensureWritable();
        if (staged.isEmpty()) {
            return lastSeq;
        }
        try {
            store.metrics().time(StoreMetrics.APPEND, () -> PgJdbc.transaction(connection,
                    "Cannot append to session " + state.id, this::writeStaged));
        } catch (StoreException e) {
            failed = true; // the staged records are lost and current() is ahead of the table: no more writes
            staged.clear();
            throw e;
        }
        pending += staged.size();
        staged.clear();
        if (pending >= store.settings().snapshotEvery()) {
            checkpoint();
        }
        return lastSeq;
    }

    @Override
    public synchronized void checkpoint() {
        commit();
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
            if (!failed) {
                commit();
            }
            if (!failed && pending > 0) {
                checkpoint();
            }
        } catch (StoreException e) {
            // a failed commit lost only what no one was told about; a failed checkpoint nothing (the journal has it)
            LOG.warnf("session %s: closing: %s", state.id, e.getMessage());
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

    /** {@code updated_at} never goes backwards. */
    private Instant later(Instant at) {
        Instant t = Timestamps.truncate(at);
        return t.isAfter(state.updatedAt) ? t : state.updatedAt;
    }

    private long stage(ObjectNode record, KeyedTurn keyed) {
        ensureWritable();
        long seq = record.get("seq").asLong();
        staged.add(new Staged(seq, record.get("kind").asText(), store.json(record), keyed));
        lastSeq = seq;
        return seq;
    }

    /** One transaction: the staged journal rows, their keys, the listing columns as they are now, the NOTIFYs. */
    private Void writeStaged(Connection c) throws SQLException {
        long bytes = 0;
        Long[] seqs = new Long[staged.size()];
        String[] kinds = new String[seqs.length];
        String[] records = new String[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            Staged r = staged.get(i);
            seqs[i] = r.seq();
            kinds[i] = r.kind();
            records[i] = r.json();
            bytes += r.json().length();
        }
        // one statement for the whole group (a JDBC batch would be one round trip per row on some drivers)
        try (PreparedStatement rows = c.prepareStatement("INSERT INTO journal (session_id, seq, kind, record) "
                + "SELECT ?, s, k, r::jsonb FROM unnest(?::bigint[], ?::text[], ?::text[]) AS t (s, k, r)")) {
            rows.setString(1, state.id);
            rows.setArray(2, c.createArrayOf("bigint", seqs));
            rows.setArray(3, c.createArrayOf("text", kinds));
            rows.setArray(4, c.createArrayOf("text", records));
            rows.executeUpdate();
        }
        for (Staged r : staged) {
            if (r.keyed() != null) {
                PgJdbc.update(c, "INSERT INTO idempotency_keys (session_id, key, turn, expires_at) VALUES (?, ?, ?::jsonb, ?) "
                                + "ON CONFLICT (session_id, key) DO UPDATE SET turn = excluded.turn, expires_at = excluded.expires_at",
                        state.id, r.keyed().key(), store.json(r.keyed()), r.keyed().expiresAt());
            }
            if (JournalRecords.EVENT.equals(r.kind())) {
                PgJdbc.update(c, "SELECT pg_notify(?, ?)", PgSessionStore.EVENTS_CHANNEL, state.id + " " + r.seq());
            }
        }
        SessionSummary after = state.summary();
        PgJdbc.update(c, "UPDATE sessions SET title = ?, directory = ?, updated_at = ?, message_count = ?, last_seq = ?, "
                        + "stored_bytes = stored_bytes + ? WHERE id = ?",
                after.title(), after.directory(), after.updatedAt(), after.messageCount(), lastSeq, bytes, state.id);
        return null;
    }

    private void ensureWritable() {
        ensureOpen();
        if (failed) {
            throw new StoreException("Session " + state.id + " lost records in a failed write; reopen it", null);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer of session " + state.id + " is closed");
        }
    }
}
