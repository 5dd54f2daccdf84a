package dev.tether.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.Session;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Writes a session's row of {@code sessions} whole: inserted with its first snapshot, or rewritten by a checkpoint
 * (the snapshot, its listing columns, the journal rows it includes dropped). Every method is part of the caller's
 * transaction.
 */
record PgSessionRows(ObjectMapper mapper, SnapshotCodec snapshots, int eventRetention) {

    /** Inserts the row of a new session (its snapshot at sequence 0); false when the id is taken. */
    boolean insert(Connection c, Session session) throws SQLException {
        String snapshot = snapshotJson(session, 0);
        return PgJdbc.update(c, "INSERT INTO sessions (id, title, directory, agent, created_at, updated_at, "
                        + "message_count, snapshot, snapshot_seq, last_seq, stored_bytes) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, 0, 0, ?) ON CONFLICT (id) DO NOTHING",
                session.id(), session.title(), session.metadata().directory(), session.agent(), session.createdAt(),
                session.updatedAt(), session.messages().size(), snapshot, (long) snapshot.length()) > 0;
    }

    /**
     * Replaces the snapshot by {@code session} as of journal sequence {@code seq} and drops the journal records it
     * includes, except the last {@code event-retention} events (kept for replay), and the expired Idempotency-Keys.
     */
    void checkpoint(Connection c, Session session, long seq) throws SQLException {
        String snapshot = snapshotJson(session, seq);
        String id = session.id();
        PgJdbc.update(c, "DELETE FROM journal WHERE session_id = ? AND seq <= ? AND (kind <> 'event' OR seq < "
                        + "coalesce((SELECT min(seq) FROM (SELECT seq FROM journal WHERE session_id = ? AND kind = 'event' "
                        + "AND seq <= ? ORDER BY seq DESC LIMIT ?) kept), ? + 1))",
                id, seq, id, seq, eventRetention, seq);
        PgJdbc.update(c, "DELETE FROM idempotency_keys WHERE session_id = ? AND expires_at <= ?", id, Instant.now());
        PgJdbc.update(c, "UPDATE sessions SET title = ?, directory = ?, agent = ?, created_at = ?, updated_at = ?, "
                        + "message_count = ?, snapshot = ?::jsonb, snapshot_seq = ?, last_seq = ?, stored_bytes = ? + "
                        + "coalesce((SELECT sum(octet_length(record::text)) FROM journal WHERE session_id = ?), 0) "
                        + "WHERE id = ?",
                session.title(), session.metadata().directory(), session.agent(),
                session.createdAt(), session.updatedAt(), session.messages().size(), snapshot, seq, seq,
                (long) snapshot.length(), id, id);
    }

    /** {@code value} as the JSON of a {@code jsonb} column. */
    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }

    private String snapshotJson(Session session, long seq) {
        return new String(snapshots.encode(session, List.of(), seq), StandardCharsets.UTF_8);
    }
}
