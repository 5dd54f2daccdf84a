package dev.tether.session.store;

import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Opens and releases the single writers of the PostgreSQL store. A writer keeps a pooled connection for its life,
 * holding the session-level advisory lock of its session on it: a replica that dies loses its connection and with it
 * the lock. Also what every {@link PgSessionWriter} of the store uses.
 */
record PgWriters(PgJdbc jdbc, PgSessionReads reads, PgSessionRows rows, StoreMetrics metrics, int snapshotEvery) {

    private static final Logger LOG = Logger.getLogger(PgWriters.class);

    /** Locks the session on a connection of its own, then reads it: the writer that held the lock committed all. */
    SessionWriter open(String id) {
        String what = "Cannot open session " + id + " for writing";
        Connection c = jdbc.connection(what);
        try {
            c.setAutoCommit(true);
            if (!PgJdbc.tryLock(c, id, false)) {
                boolean exists = PgSessionReads.lastSeq(c, id, false) >= 0;
                throw exists ? busy(id) : new SessionNotFoundException(id);
            }
            PgSessionReads.Loaded loaded = metrics.time(StoreMetrics.Op.LOAD,
                    () -> PgJdbc.transaction(c, what, tx -> reads.read(tx, id)));
            return new PgSessionWriter(this, c, loaded);
        } catch (SQLException e) {
            release(c, id);
            throw PgJdbc.failure(what, e);
        } catch (RuntimeException e) {
            release(c, id);
            throw e;
        }
    }

    /**
     * Unlocks and returns a writer's connection to the pool. Should the unlock fail, the connection is broken, and the
     * server released the lock with it.
     */
    void release(Connection c, String id) {
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

    static SessionBusyException busy(String id) {
        return new SessionBusyException("Session " + id + " is being written by another request or replica");
    }

    JournalRecords records() {
        return reads.records();
    }

    /** Whether a writer with this many committed records after the snapshot checkpoints now. */
    boolean due(int pending) {
        return pending >= snapshotEvery;
    }
}
