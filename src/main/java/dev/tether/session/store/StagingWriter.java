package dev.tether.session.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionResult;
import dev.tether.session.StoreException;
import dev.tether.session.Timestamps;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The group commit of {@link SessionWriter}, written once for every store. An append builds its journal record
 * ({@link JournalRecords}), hands it to the store to stage ({@link #stage}, timed as {@code append}) and changes the
 * in-memory state; {@link #commit()} makes everything staged durable in one store-specific durability point
 * ({@link #writeStaged()}, timed as {@code commit}). A durability point that fails loses what was staged, so the
 * writer then refuses every further write: its state is ahead of what is stored and the next writer re-reads it.
 */
abstract sealed class StagingWriter implements SessionWriter permits FileSessionWriter, PgSessionWriter {

    private static final Logger LOG = Logger.getLogger(StagingWriter.class);

    final SessionState state;
    private final JournalRecords records;
    private final StoreMetrics metrics;
    private long lastSeq;
    /** Records staged since the last durability point. */
    private int staged;
    /** Committed records the snapshot does not include yet. */
    private int pending;
    private boolean failed;
    private boolean closed;

    StagingWriter(JournalRecords records, StoreMetrics metrics, SessionState state, long lastSeq, int pending) {
        this.records = records;
        this.metrics = metrics;
        this.state = state;
        this.lastSeq = lastSeq;
        this.pending = pending;
    }

    /** Stages one encoded record (O(record)); {@code keyed} is the Idempotency-Key turn it starts or ends, if any. */
    abstract void stage(ObjectNode record, KeyedTurn keyed);

    /** Makes every staged record durable at once; throws {@link StoreException} when none may be. */
    abstract void writeStaged();

    /** Forgets the staged records, after {@link #writeStaged()} wrote them or failed to. */
    abstract void discardStaged();

    /** After a durability point. */
    abstract void committed();

    /** Rewrites the snapshot as of {@link #lastSeq()} (everything is committed) and trims the journal. */
    abstract void writeCheckpoint();

    /** Before {@link #release} when closing a writer that committed everything. */
    void closing() {
    }

    /** Releases the session; {@code intact} when every record given out is durable and the state matches the store. */
    abstract void release(boolean intact);

    @Override
    public synchronized Session current() {
        return state.toSession();
    }

    @Override
    public synchronized long appendMessage(Message message, Instant at) {
        Objects.requireNonNull(message, "message");
        Instant when = at == null ? Instant.now() : at;
        long seq = append(records.message(lastSeq + 1, when, message), null);
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
        long seq = append(records.keyedMessage(lastSeq + 1, when, message, key, requestHash, expiresAt), turn);
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
        long seq = append(records.turnResult(lastSeq + 1, Instant.now(), key, result), ended);
        state.endKeyedTurn(key, result, seq);
        return seq;
    }

    @Override
    public synchronized long appendToolUse(ToolUse toolUse) {
        Objects.requireNonNull(toolUse, "toolUse");
        long seq = append(records.toolUse(lastSeq + 1, Instant.now(), toolUse), null);
        state.addToolUse(toolUse);
        return seq;
    }

    @Override
    public synchronized long updateMeta(String title, SessionMetadata metadata, Usage usage, Instant at) {
        SessionMetadata m = metadata == null ? SessionMetadata.DEFAULT : metadata;
        Usage u = usage == null ? Usage.ZERO : usage;
        Instant updated = at == null ? state.updatedAt : later(at);
        long seq = append(records.meta(lastSeq + 1, at == null ? Instant.now() : at, title, m, u, updated), null);
        state.setMeta(title, m, u, at);
        return seq;
    }

    @Override
    public synchronized long appendEvent(JsonNode event) {
        Objects.requireNonNull(event, "event");
        return append(records.event(lastSeq + 1, Instant.now(), event), null);
    }

    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized long commit() {
        ensureUsable();
        if (staged == 0) {
            return lastSeq;
        }
        int count = staged;
        staged = 0;
        try {
            metrics.time(StoreMetrics.Op.COMMIT, this::writeStaged);
        } catch (RuntimeException e) {
            failed = true; // the staged records are lost and current() is ahead of the store: no more writes
            throw e;
        } finally {
            discardStaged();
        }
        pending += count;
        committed();
        return lastSeq;
    }

    @Override
    public synchronized void checkpoint() {
        commit();
        writeCheckpoint();
        pending = 0;
    }

    /** Commits what is staged (unless a write failed) and releases the session. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (!failed) {
                commit();
                closing();
            }
        } catch (StoreException e) {
            // a failed commit lost only records no one was told about; a failed checkpoint nothing (the journal has it)
            LOG.warnf("session %s: closing the writer: %s", state.id, e.getMessage());
        } finally {
            closed = true;
            release(!failed);
        }
    }

    /** Committed records the snapshot does not include yet. */
    int pending() {
        return pending;
    }

    StoreMetrics metrics() {
        return metrics;
    }

    private long append(ObjectNode record, KeyedTurn keyed) {
        ensureUsable();
        metrics.time(StoreMetrics.Op.APPEND, () -> stage(record, keyed));
        staged++;
        return ++lastSeq;
    }

    /** {@code updated_at} never goes backwards. */
    private Instant later(Instant at) {
        Instant t = Timestamps.truncate(at);
        return t.isAfter(state.updatedAt) ? t : state.updatedAt;
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("writer of session " + state.id + " is closed");
        }
        if (failed) {
            throw new StoreException("Session " + state.id + " lost records in a failed write; reopen it", null);
        }
    }
}
