package dev.tether.session.store;

import dev.tether.session.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * JDBC plumbing of the PostgreSQL store: transactions that either commit whole or roll back, SQL failures turned into
 * {@link StoreException}s that name what failed but neither values nor SQL, timestamps as {@code timestamptz}, and
 * the advisory-lock key of a session.
 */
final class PgJdbc {

    /** Work on a connection inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;

    PgJdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in one transaction on a pooled connection: committed when it returns, rolled back if not. */
    <T> T transaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return transaction(c, what, work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs {@code work} in one transaction on {@code c} (whose auto-commit is off afterwards). */
    static <T> T transaction(Connection c, String what, Work<T> work) {
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollBack(c);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw failure(what, (SQLException) e);
        }
    }

    /** A connection of the pool, for a writer that keeps it (and its advisory lock) for its life. */
    Connection connection(String what) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static void rollBack(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the server rolled the transaction back when it lost it
        }
    }

    /**
     * A store failure naming what failed. PostgreSQL messages can quote stored values, so only the SQLSTATE is kept;
     * the exception is chained for the log.
     */
    static StoreException failure(String what, SQLException e) {
        String state = e.getSQLState();
        String reason = state != null && state.startsWith("08") ? "the database is unreachable"
                : "database error" + (state == null ? "" : " (SQLSTATE " + state + ")");
        return new StoreException(what + ": " + reason, e);
    }

    static void set(PreparedStatement ps, int index, Instant at) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /**
     * The 64-bit advisory-lock key of a session: the first 8 bytes of SHA-256 over a tether prefix and the id. Two ids
     * with the same key (never seen in practice) only make one of them look busy while the other is written: never
     * two writers of one session.
     */
    static long lockKey(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("tether-session:" + id).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (h[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Tries a lock of this connection's session ({@code xact}: released at the end of the transaction). */
    static boolean tryLock(Connection c, String id, boolean xact) throws SQLException {
        String fn = xact ? "pg_try_advisory_xact_lock" : "pg_try_advisory_lock";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + fn + "(?)")) {
            ps.setLong(1, lockKey(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Runs one statement; returns its update count ({@code -1} for a query such as {@code SELECT pg_notify(…)}). */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            ps.execute();
            return ps.getUpdateCount();
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Instant at) {
                set(ps, i + 1, at);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
        return ps;
    }
}
