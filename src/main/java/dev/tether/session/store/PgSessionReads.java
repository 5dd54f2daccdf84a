package dev.tether.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.CorruptSessionException;
import dev.tether.session.KeyedTurn;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the PostgreSQL store: a session (its snapshot plus the replay of the journal rows after it, with
 * {@link JournalRecords} as the file store does), its durable events for replay, its Idempotency-Key turns.
 */
final class PgSessionReads {

    /** A session as read: its state, the last sequence used, and the journal records after the snapshot. */
    record Loaded(SessionState state, long lastSeq, int pending) {
    }

    private final PgJdbc jdbc;
    private final ObjectMapper mapper;
    private final JournalRecords records;
    private final SnapshotCodec snapshots;
    private final long maxSessionBytes;

    PgSessionReads(PgJdbc jdbc, ObjectMapper mapper, SnapshotCodec snapshots, long maxSessionBytes) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.records = new JournalRecords(mapper);
        this.snapshots = snapshots;
        this.maxSessionBytes = maxSessionBytes;
    }

    JournalRecords records() {
        return records;
    }

    /** The session as of one snapshot of the database. */
    Loaded read(String id) {
        return jdbc.transaction("Cannot read session " + id, c -> {
            // one snapshot of the database: a checkpoint committing meanwhile cannot make us replay twice or miss rows
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return read(c, id);
            } finally {
                c.commit();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        });
    }

    /** The session, read in the caller's transaction. */
    Loaded read(Connection c, String id) throws SQLException {
        long snapshotSeq;
        long lastSeq;
        SessionState state;
        try (PreparedStatement ps = PgJdbc.prepare(c, "SELECT stored_bytes, snapshot_seq, last_seq, "
                + "CASE WHEN stored_bytes <= ? THEN snapshot::text END FROM sessions WHERE id = ?",
                maxSessionBytes, id);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SessionNotFoundException(id);
            }
            if (rs.getLong(1) > maxSessionBytes) {
                throw new CorruptSessionException(String.format(
                        "Session %s is too large to load: %d bytes stored, the limit is %d bytes",
                        id, rs.getLong(1), maxSessionBytes));
            }
            snapshotSeq = rs.getLong(2);
            lastSeq = rs.getLong(3);
            state = snapshot(rs.getString(4), id);
        }
        int pending = 0;
        try (PreparedStatement ps = PgJdbc.prepare(c, "SELECT seq, kind, record::text FROM journal "
                + "WHERE session_id = ? AND seq > ? AND kind <> 'event' ORDER BY seq", id, snapshotSeq);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                records.apply(state, new JournalCodec.Line(rs.getLong(1), rs.getString(2), tree(rs.getString(3)), 0, 0));
                pending++;
            }
        }
        return new Loaded(state, lastSeq, pending);
    }

    boolean exists(String id) {
        return jdbc.transaction("Cannot read session " + id, c -> lastSeq(c, id, false) >= 0);
    }

    /** The durable events after {@code afterSeq} that the journal still has, in order. */
    List<StoredEvent> eventsAfter(String id, long afterSeq) {
        return jdbc.transaction("Cannot read the events of session " + id, c -> {
            requireExists(c, id);
            List<StoredEvent> out = new ArrayList<>();
            try (PreparedStatement ps = PgJdbc.prepare(c, "SELECT seq, record::text FROM journal "
                    + "WHERE session_id = ? AND seq > ? AND kind = 'event' ORDER BY seq", id, afterSeq);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode record = tree(rs.getString(2));
                    out.add(new StoredEvent(rs.getLong(1), JournalRecords.at(record), record.get("event")));
                }
            }
            return out;
        });
    }

    Optional<KeyedTurn> keyedTurn(String id, String key, Instant now) {
        return jdbc.transaction("Cannot read session " + id, c -> {
            requireExists(c, id);
            try (PreparedStatement ps = PgJdbc.prepare(c,
                    "SELECT turn::text FROM idempotency_keys WHERE session_id = ? AND key = ?", id, key);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                KeyedTurn turn = mapper.readValue(rs.getString(1), KeyedTurn.class);
                return turn.expiredAt(now) ? Optional.<KeyedTurn>empty() : Optional.of(turn);
            } catch (JsonProcessingException e) {
                throw new CorruptSessionException("Session " + id + " has an unreadable Idempotency-Key record", e);
            }
        });
    }

    /** The stored session's last journal sequence, {@code -1} when there is no such session. */
    static long lastSeq(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = PgJdbc.prepare(c,
                "SELECT last_seq FROM sessions WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    static void requireExists(Connection c, String id) throws SQLException {
        if (lastSeq(c, id, false) < 0) {
            throw new SessionNotFoundException(id);
        }
    }

    private SessionState snapshot(String json, String id) {
        try {
            return snapshots.read(json.getBytes(StandardCharsets.UTF_8), id, true).state();
        } catch (IOException e) {
            throw new CorruptSessionException("Session " + id + " is unreadable: its snapshot does not parse", e);
        }
    }

    private ObjectNode tree(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new StoreException("A stored journal record does not parse", e);
        }
    }
}
