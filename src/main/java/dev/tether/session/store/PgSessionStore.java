package dev.tether.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link SessionStore} on PostgreSQL ({@code tether.store.kind=postgres}; tables in
 * {@code db/migration/V1__session_store.sql}), so that several replicas serve every session. A session is a row of
 * {@code sessions} (listing columns and the snapshot, {@link PgSessionRows}) plus the {@code journal} rows after the
 * snapshot. The work is split: {@link PgSessionReads} (load = snapshot + replay, events, keys), {@link PgListing}
 * (listing queries), {@link PgWriters} (the single writer of a session, {@link PgSessionWriter}, holding an advisory
 * lock). All methods block on JDBC: call them from worker threads.
 */
public class PgSessionStore implements SessionStore {

    /** The channel on which an appended durable event is announced as {@code <session id> <seq>}. */
    public static final String EVENTS_CHANNEL = "tether_events";

    private final PgJdbc jdbc;
    private final PgSessionReads reads;
    private final PgSessionRows rows;
    private final PgListing listing;
    private final PgWriters writers;
    private final StoreMetrics metrics;

    /**
     * A store on {@code dataSource}, whose connections must see the migrated tables; reads and writes through
     * {@link Json#internal} of {@code json}.
     */
    public PgSessionStore(DataSource dataSource, StoreSettings settings, MeterRegistry registry, ObjectMapper json) {
        ObjectMapper mapper = Json.internal(json);
        SnapshotCodec snapshots = new SnapshotCodec(mapper);
        this.jdbc = new PgJdbc(dataSource);
        this.reads = new PgSessionReads(jdbc, mapper, snapshots, settings.maxSessionBytes());
        this.rows = new PgSessionRows(mapper, snapshots, settings.eventRetention());
        this.metrics = new StoreMetrics(registry, this, PgSessionStore::gaugeCount);
        this.listing = new PgListing(jdbc, metrics);
        this.writers = new PgWriters(jdbc, reads, rows, metrics, settings.snapshotEvery());
    }

    @Override
    public void create(Session session) {
        String id = SessionIds.require(session.id());
        metrics.time(StoreMetrics.Op.CREATE, () -> jdbc.transaction("Cannot create session " + id, c -> {
            if (!rows.insert(c, session)) {
                throw new SessionBusyException("Session " + id + " already exists");
            }
            return null;
        }));
    }

    @Override
    public void save(Session session) {
        String id = SessionIds.require(session.id());
        metrics.time(StoreMetrics.Op.SAVE, () -> jdbc.transaction("Cannot save session " + id, c -> {
            if (!PgJdbc.tryLock(c, id, true)) {
                throw PgWriters.busy(id);
            }
            long seq = PgSessionReads.lastSeq(c, id, true);
            if (seq >= 0) {
                // a history edit or re-import keeps the Idempotency-Key rows: those turns did run
                rows.checkpoint(c, session, seq);
            } else if (!rows.insert(c, session)) {
                throw PgWriters.busy(id); // created meanwhile by a create, which takes no lock
            }
            return null;
        }));
    }

    @Override
    public Session load(String id) {
        String valid = SessionIds.require(id);
        return metrics.time(StoreMetrics.Op.LOAD, () -> reads.read(valid).state().toSession());
    }

    @Override
    public boolean exists(String id) {
        return reads.exists(SessionIds.require(id));
    }

    @Override
    public void delete(String id) {
        String valid = SessionIds.require(id);
        metrics.time(StoreMetrics.Op.DELETE, () -> jdbc.transaction("Cannot delete session " + valid, c -> {
            PgSessionReads.requireExists(c, valid);
            if (!PgJdbc.tryLock(c, valid, true)) {
                throw PgWriters.busy(valid);
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
        return listing.page(query);
    }

    @Override
    public List<SessionSummary> listAll() {
        return listing.all();
    }

    @Override
    public int count() {
        return listing.count();
    }

    @Override
    public SessionWriter openWriter(String id) {
        return writers.open(SessionIds.require(id));
    }

    @Override
    public Optional<KeyedTurn> keyedTurn(String id, String key, Instant now) {
        return reads.keyedTurn(SessionIds.require(id), key, now);
    }

    @Override
    public List<StoredEvent> eventsAfter(String id, long afterSeq) {
        return reads.eventsAfter(SessionIds.require(id), afterSeq);
    }

    private double gaugeCount() {
        try {
            return count();
        } catch (StoreException e) {
            return Double.NaN;
        }
    }
}
