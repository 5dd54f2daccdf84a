package dev.tether.session.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.KeyedTurn;
import dev.tether.session.SessionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The single writer of one session of a {@link PgSessionStore} ({@link StagingWriter} does the group commit). It
 * owns a connection holding the session's advisory lock for its whole life ({@link PgWriters}). Appends stage records
 * in memory; a commit makes them durable in one transaction (journal rows, the listing columns, Idempotency-Key rows,
 * and a {@code NOTIFY} per durable event, sent by the server at commit). A failed commit rolls the whole transaction
 * back, so nothing is half-written. Checkpoints (snapshot rewrite, journal trimmed) happen at {@link #close()} and
 * every {@code snapshot-every} records.
 */
final class PgSessionWriter extends StagingWriter {

    /** A record waiting for the next commit, with the Idempotency-Key row it sets, if any. */
    private record Staged(long seq, String kind, String json, KeyedTurn keyed) {
    }

    private final PgWriters store;
    private final Connection connection;
    private final List<Staged> staged = new ArrayList<>();

    PgSessionWriter(PgWriters store, Connection connection, PgSessionReads.Loaded loaded) {
        super(store.records(), store.metrics(), loaded.state(), loaded.lastSeq(), loaded.pending());
        this.store = store;
        this.connection = connection;
    }

    @Override
    void stage(ObjectNode record, KeyedTurn keyed) {
        staged.add(new Staged(record.get("seq").asLong(), record.get("kind").asText(), store.rows().json(record),
                keyed));
    }

    @Override
    void writeStaged() {
        PgJdbc.transaction(connection, "Cannot append to session " + state.id, this::insertStaged);
    }

    @Override
    void discardStaged() {
        staged.clear();
    }

    @Override
    void committed() {
        if (store.due(pending())) {
            checkpoint();
        }
    }

    @Override
    void writeCheckpoint() {
        metrics().time(StoreMetrics.Op.CHECKPOINT, () -> PgJdbc.transaction(connection,
                "Cannot checkpoint session " + state.id, c -> {
                    store.rows().checkpoint(c, state.toSession(), lastSeq());
                    return null;
                }));
        state.pruneKeyedTurns(Instant.now());
    }

    /** The snapshot includes every record when the lock goes: the next writer replays none. */
    @Override
    void closing() {
        if (pending() > 0) {
            checkpoint();
        }
    }

    @Override
    void release(boolean intact) {
        store.release(connection, state.id);
    }

    /** One transaction: the staged journal rows, their keys, the listing columns as they are now, the NOTIFYs. */
    private Void insertStaged(Connection c) throws SQLException {
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
                        state.id, r.keyed().key(), store.rows().json(r.keyed()), r.keyed().expiresAt());
            }
            if (JournalRecords.EVENT.equals(r.kind())) {
                PgJdbc.update(c, "SELECT pg_notify(?, ?)", PgSessionStore.EVENTS_CHANNEL, state.id + " " + r.seq());
            }
        }
        SessionSummary after = state.summary();
        PgJdbc.update(c, "UPDATE sessions SET title = ?, directory = ?, updated_at = ?, message_count = ?, last_seq = ?, "
                        + "stored_bytes = stored_bytes + ? WHERE id = ?",
                after.title(), after.directory(), after.updatedAt(), after.messageCount(), lastSeq(), bytes, state.id);
        return null;
    }
}
