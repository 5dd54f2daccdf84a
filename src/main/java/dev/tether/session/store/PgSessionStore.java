package dev.tether.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.session.CorruptSessionException;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link SessionStore} on PostgreSQL ({@code tether.store.kind=postgres}; tables in
 * {@code db/migration/V1__session_store.sql}), so that several replicas serve every session. A session is a row of
 * {@code sessions} (listing columns and the snapshot) plus the {@code journal} rows after the snapshot; every append
 * is one committed transaction. The single writer of a session holds a session-level advisory lock on its own
 * connection ({@link PgSessionWriter}); a replica that dies loses its connection and with it the lock. All methods
 * block on JDBC: call them from worker threads.
 */
public class PgSessionStore implements SessionStore {

    /** The channel on which an appended durable event is announced as {@code <session id> <seq>}. */
    public static final String EVENTS_CHANNEL = "tether_events";

    private static final String SUMMARY_COLUMNS = "id, title, created_at, updated_at, message_count, agent, directory";

    private final PgJdbc jdbc;
    private final StoreSettings settings;
    private final ObjectMapper mapper;
    private final JournalRecords records;
    private final SnapshotCodec snapshots;
    private final StoreMetrics metrics;

    /**
     * A store on {@code dataSource}, whose connections must see the migrated tables; reads and writes through
     * {@link Json#internal} of {@code json}.
     */
    public PgSessionStore(DataSource dataSource, StoreSettings settings, MeterRegistry registry, ObjectMapper json) {
        this.jdbc = new PgJdbc(dataSource);
        this.settings = settings;
        this.mapper = Json.internal(json);
        this.records = new JournalRecords(mapper);
        this.snapshots = new SnapshotCodec(mapper);
        this.metrics = new StoreMetrics(registry, this, PgSessionStore::gaugeCount);
    }

    // ---- SessionStore ------------------------------------------------------------------------------------------------

    @Override
    public void create(Session session) {
        String id = SessionIds.require(session.id());
        metrics.time(StoreMetrics.CREATE, () -> jdbc.transaction("Cannot create session " + id, c -> {
            String snapshot = snapshotJson(session, 0);
            int rows = PgJdbc.update(c, "INSERT INTO sessions (id, title, directory, agent, created_at, updated_at, "
                            + "message_count, snapshot, snapshot_seq, last_seq, stored_bytes) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, 0, 0, ?) ON CONFLICT (id) DO NOTHING",
                    id, session.title(), session.metadata().directory(), session.agent(), session.createdAt(),
                    session.updatedAt(), session.messages().size(), snapshot, (long) snapshot.length());
            if (rows == 0) {
                throw new SessionBusyException("Session " + id + " already exists");
            }
            return null;
        }));
    }

    @Override
    public void save(Session session) {
        String id = SessionIds.require(session.id());
        metrics.time(StoreMetrics.SAVE, () -> jdbc.transaction("Cannot save session " + id, c -> {
            if (!PgJdbc.tryLock(c, id, true)) {
                throw busy(id);
            }
            long seq = lastSeq(c, id, true);
            if (seq < 0) {
                String snapshot = snapshotJson(session, 0);
                PgJdbc.update(c, "INSERT INTO sessions (id, title, directory, agent, created_at, updated_at, "
                                + "message_count, snapshot, snapshot_seq, last_seq, stored_bytes) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, 0, 0, ?)",
                        id, session.title(), session.metadata().directory(), session.agent(), session.createdAt(),
                        session.updatedAt(), session.messages().size(), snapshot, (long) snapshot.length());
            } else {
                // a history edit or re-import keeps the Idempotency-Key rows: those turns did run
                writeCheckpoint(c, session, seq);
            }
            return null;
        }));
    }

    @Override
    public Session load(String id) {
        String valid = SessionIds.require(id);
        return metrics.time(StoreMetrics.LOAD, () -> read(valid).state().toSession());
    }

    @Override
    public SessionTail loadTail(String id, int n) {
        String valid = SessionIds.require(id);
        if (n < 0) {
            throw new InvalidRequestException("tail must be 0 or more");
        }
        return SessionTail.of(metrics.time(StoreMetrics.LOAD, () -> read(valid).state().toSession()), n);
    }

    @Override
    public boolean exists(String id) {
        String valid = SessionIds.require(id);
        return jdbc.transaction("Cannot read session " + valid, c -> lastSeq(c, valid, false) >= 0);
    }

    @Override
    public void delete(String id) {
        String valid = SessionIds.require(id);
        metrics.time(StoreMetrics.DELETE, () -> jdbc.transaction("Cannot delete session " + valid, c -> {
            if (lastSeq(c, valid, false) < 0) {
                throw new SessionNotFoundException(valid);
            }
            if (!PgJdbc.tryLock(c, valid, true)) {
                throw busy(valid);
            }
            // journal and keys go with the row (ON DELETE CASCADE)
            if (PgJdbc.update(c, "DELETE FROM sessions WHERE id = ?", valid) == 0) {
                throw new SessionNotFoundException(valid);
            }
            return null;
        }));
    }

    @Override
    public SessionPage list(ListQuery query) {
        SessionPage.validate(query);
        Optional<ListingCursor> cursor = query.cursor().filter(c -> !c.isEmpty()).map(ListingCursor::decode);
        return metrics.time(StoreMetrics.LIST, () -> jdbc.transaction("Cannot list sessions", c -> {
            List<String> directories = null;
            if (query.directory().filter(d -> !d.isBlank()).isPresent()) {
                directories = matchingDirectories(c, new DirectoryMatch(query.directory().get()));
                if (directories.isEmpty()) {
                    return new SessionPage(List.of(), null);
                }
            }
            List<SessionSummary> rows = page(c, directories, cursor, query.limit() + 1);
            boolean more = rows.size() > query.limit();
            List<SessionSummary> page = more ? rows.subList(0, query.limit()) : rows;
            String next = more ? ListingCursor.after(page.get(page.size() - 1)).encode() : null;
            return new SessionPage(List.copyOf(page), next);
        }));
    }

    @Override
    public List<SessionSummary> listAll() {
        return metrics.time(StoreMetrics.LIST, () -> jdbc.transaction("Cannot list sessions",
                c -> page(c, null, Optional.empty(), Integer.MAX_VALUE)));
    }

    @Override
    public int count() {
        return jdbc.transaction("Cannot count sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sessions");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Override
    public SessionWriter openWriter(String id) {
        String valid = SessionIds.require(id);
        String what = "Cannot open session " + valid + " for writing";
        Connection c = jdbc.connection(what);
        try {
            c.setAutoCommit(true);
            if (!PgJdbc.tryLock(c, valid, false)) {
                boolean exists = lastSeq(c, valid, false) >= 0;
                throw exists ? busy(valid) : new SessionNotFoundException(valid);
            }
            // lock first, then read: a writer that held the lock before us has committed everything it wrote
            Loaded loaded = metrics.time(StoreMetrics.LOAD, () -> PgJdbc.transaction(c, what, tx -> read(tx, valid)));
            return new PgSessionWriter(this, c, loaded.state(), loaded.lastSeq(), loaded.pending());
        } catch (SQLException e) {
            PgSessionWriter.release(c, valid);
            throw PgJdbc.failure(what, e);
        } catch (RuntimeException e) {
            PgSessionWriter.release(c, valid);
            throw e;
        }
    }

    @Override
    public Optional<KeyedTurn> keyedTurn(String id, String key, Instant now) {
        String valid = SessionIds.require(id);
        return jdbc.transaction("Cannot read session " + valid, c -> {
            if (lastSeq(c, valid, false) < 0) {
                throw new SessionNotFoundException(valid);
            }
            try (PreparedStatement ps = PgJdbc.prepare(c,
                    "SELECT turn::text FROM idempotency_keys WHERE session_id = ? AND key = ?", valid, key);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                KeyedTurn turn = mapper.readValue(rs.getString(1), KeyedTurn.class);
                return turn.expiredAt(now) ? Optional.<KeyedTurn>empty() : Optional.of(turn);
            } catch (JsonProcessingException e) {
                throw new CorruptSessionException("Session " + valid + " has an unreadable Idempotency-Key record", e);
            }
        });
    }

    @Override
    public List<StoredEvent> eventsAfter(String id, long afterSeq) {
        String valid = SessionIds.require(id);
        return jdbc.transaction("Cannot read the events of session " + valid, c -> {
            if (lastSeq(c, valid, false) < 0) {
                throw new SessionNotFoundException(valid);
            }
            List<StoredEvent> out = new ArrayList<>();
            try (PreparedStatement ps = PgJdbc.prepare(c, "SELECT seq, record::text FROM journal "
                    + "WHERE session_id = ? AND seq > ? AND kind = 'event' ORDER BY seq", valid, afterSeq);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode record = tree(rs.getString(2));
                    out.add(new StoredEvent(rs.getLong(1), JournalRecords.at(record), record.get("event")));
                }
            }
            return out;
        });
    }

    // ---- reading -----------------------------------------------------------------------------------------------------

    /** A session as read: its state, the last sequence used, and the journal records after the snapshot. */
    record Loaded(SessionState state, long lastSeq, int pending) {
    }

    private Loaded read(String id) {
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

    private Loaded read(Connection c, String id) throws SQLException {
        byte[] snapshot;
        long snapshotSeq;
        long lastSeq;
        try (PreparedStatement ps = PgJdbc.prepare(c, "SELECT stored_bytes, snapshot_seq, last_seq, "
                + "CASE WHEN stored_bytes <= ? THEN snapshot::text END FROM sessions WHERE id = ?",
                settings.maxSessionBytes(), id);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SessionNotFoundException(id);
            }
            if (rs.getLong(1) > settings.maxSessionBytes()) {
                throw new CorruptSessionException(String.format(
                        "Session %s is too large to load: %d bytes stored, the limit is %d bytes",
                        id, rs.getLong(1), settings.maxSessionBytes()));
            }
            snapshotSeq = rs.getLong(2);
            lastSeq = rs.getLong(3);
            snapshot = rs.getString(4).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        SessionState state;
        try {
            state = snapshots.read(snapshot, id, true).state();
        } catch (java.io.IOException e) {
            throw new CorruptSessionException("Session " + id + " is unreadable: its snapshot does not parse", e);
        }
        int pending = 0;
        try (PreparedStatement ps = PgJdbc.prepare(c, "SELECT seq, kind, record::text FROM journal "
                + "WHERE session_id = ? AND seq > ? AND kind <> 'event' ORDER BY seq", id, snapshotSeq);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode record = tree(rs.getString(3));
                records.apply(state, new JournalCodec.Line(rs.getLong(1), rs.getString(2),
                        (com.fasterxml.jackson.databind.node.ObjectNode) record, 0, 0));
                pending++;
            }
        }
        return new Loaded(state, lastSeq, pending);
    }

    /** The stored session's last journal sequence, {@code -1} when there is no such session. */
    private static long lastSeq(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = PgJdbc.prepare(c,
                "SELECT last_seq FROM sessions WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private List<String> matchingDirectories(Connection c, DirectoryMatch match) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT directory FROM sessions WHERE directory IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (match.matches(rs.getString(1))) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Summaries in listing order after {@code cursor}, at most {@code limit}, of {@code directories} when given. */
    private static List<SessionSummary> page(Connection c, List<String> directories, Optional<ListingCursor> cursor,
                                             int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM sessions WHERE true");
        if (directories != null) {
            sql.append(" AND directory = ANY (?)");
        }
        if (cursor.isPresent()) {
            sql.append(" AND (updated_at < ? OR (updated_at = ? AND id > ?))");
        }
        sql.append(" ORDER BY updated_at DESC, id");
        if (limit < Integer.MAX_VALUE) {
            sql.append(" LIMIT ").append(limit);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (directories != null) {
                ps.setArray(i++, c.createArrayOf("text", directories.toArray()));
            }
            if (cursor.isPresent()) {
                PgJdbc.set(ps, i++, cursor.get().updatedAt());
                PgJdbc.set(ps, i++, cursor.get().updatedAt());
                ps.setString(i, cursor.get().id());
            }
            List<SessionSummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SessionSummary(rs.getString("id"), rs.getString("title"),
                            PgJdbc.instant(rs, "created_at"), PgJdbc.instant(rs, "updated_at"),
                            rs.getInt("message_count"), rs.getString("agent"), rs.getString("directory")));
                }
            }
            return out;
        }
    }

    private JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("A stored journal record does not parse", e);
        }
    }

    // ---- writing (also used by PgSessionWriter) ----------------------------------------------------------------------

    JournalRecords records() {
        return records;
    }

    StoreSettings settings() {
        return settings;
    }

    StoreMetrics metrics() {
        return metrics;
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }

    private String snapshotJson(Session session, long seq) {
        return new String(snapshots.encode(session, List.of(), seq), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Replaces the snapshot by {@code session} as of journal sequence {@code seq} and drops the journal records it
     * includes, except the last {@code event-retention} events (kept for replay), and the expired Idempotency-Keys.
     * Part of the caller's transaction.
     */
    void writeCheckpoint(Connection c, Session session, long seq) throws SQLException {
        String snapshot = snapshotJson(session, seq);
        String id = session.id();
        PgJdbc.update(c, "DELETE FROM journal WHERE session_id = ? AND seq <= ? AND (kind <> 'event' OR seq < "
                        + "coalesce((SELECT min(seq) FROM (SELECT seq FROM journal WHERE session_id = ? AND kind = 'event' "
                        + "AND seq <= ? ORDER BY seq DESC LIMIT ?) kept), ? + 1))",
                id, seq, id, seq, settings.eventRetention(), seq);
        PgJdbc.update(c, "DELETE FROM idempotency_keys WHERE session_id = ? AND expires_at <= ?", id, Instant.now());
        PgJdbc.update(c, "UPDATE sessions SET title = ?, directory = ?, agent = ?, created_at = ?, updated_at = ?, "
                        + "message_count = ?, snapshot = ?::jsonb, snapshot_seq = ?, last_seq = ?, stored_bytes = ? + "
                        + "coalesce((SELECT sum(octet_length(record::text)) FROM journal WHERE session_id = ?), 0) "
                        + "WHERE id = ?",
                session.title(), session.metadata().directory(), session.agent(),
                session.createdAt(), session.updatedAt(), session.messages().size(), snapshot, seq, seq,
                (long) snapshot.length(), id, id);
    }

    private static SessionBusyException busy(String id) {
        return new SessionBusyException("Session " + id + " is being written by another request or replica");
    }

    private double gaugeCount() {
        try {
            return count();
        } catch (StoreException e) {
            return Double.NaN;
        }
    }
}
