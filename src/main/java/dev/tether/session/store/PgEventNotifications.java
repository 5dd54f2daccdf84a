package dev.tether.session.store;

import dev.tether.config.ManagedPools;
import dev.tether.config.TetherConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Announces the durable events that any replica commits to the PostgreSQL store: a dedicated connection
 * {@code LISTEN}s on {@link PgSessionStore#EVENTS_CHANNEL} (one {@code NOTIFY} per event, sent at commit) and a daemon
 * thread hands each {@code (session id, seq)} to the follower. The event itself is read from the journal table by the
 * follower, so a notification lost while the connection was down only delays events until the next one. Does nothing
 * with the file store.
 */
@ApplicationScoped
public class PgEventNotifications {

    /** Receives an announced event; runs on the listening thread, in commit order. */
    @FunctionalInterface
    public interface Follower {
        void committed(String sessionId, long seq);
    }

    private static final Logger LOG = Logger.getLogger(PgEventNotifications.class);
    private static final int POLL_MILLIS = 500;

    private final TetherConfig config;
    private final Instance<AgroalDataSource> dataSource;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Thread thread;

    public PgEventNotifications(TetherConfig config, Instance<AgroalDataSource> dataSource) {
        this.config = config;
        this.dataSource = dataSource;
    }

    /** Starts following the channel (once) when the store is PostgreSQL. */
    public synchronized void follow(Follower follower) {
        if (config.store().kind() != TetherConfig.StoreKind.POSTGRES || thread != null) {
            return;
        }
        AgroalDataSource ds = dataSource.get();
        thread = ManagedPools.startDaemon("tether-pg-events", () -> listen(ds, follower));
    }

    private void listen(AgroalDataSource ds, Follower follower) {
        while (stopped.getCount() > 0) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("LISTEN " + PgSessionStore.EVENTS_CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (stopped.getCount() > 0) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            dispatch(n.getParameter(), follower);
                        }
                    }
                }
            } catch (SQLException e) {
                if (stopped.getCount() == 0) {
                    return; // the pool closed the connection at shutdown
                }
                LOG.warnf("live events of other replicas paused: the notification connection failed (SQLSTATE %s); "
                        + "reconnecting", e.getSQLState());
                awaitStop(1);
            }
        }
    }

    private static void dispatch(String payload, Follower follower) {
        int space = payload.lastIndexOf(' ');
        try {
            follower.committed(payload.substring(0, space), Long.parseLong(payload.substring(space + 1)));
        } catch (RuntimeException e) {
            LOG.warnf("an announced event could not be relayed: %s", e.getMessage());
        }
    }

    private void awaitStop(int seconds) {
        try {
            stopped.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    @PreDestroy
    void stop() {
        stopped.countDown();
    }
}
