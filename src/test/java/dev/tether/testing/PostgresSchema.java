package dev.tether.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A schema of its own on the test PostgreSQL server (127.0.0.1:5432, database {@code test}, user {@code postgres}:
 * override with {@code TETHER_TEST_PG_URL} / {@code TETHER_TEST_PG_USER}), migrated by the service's Flyway scripts and
 * dropped by {@link #drop()}, so that test classes and parallel builds never see each other's rows. Where no server is
 * reachable the test is skipped with a loud message, except under {@code CI=true}, where it fails.
 */
public final class PostgresSchema {

    public static final String URL = System.getenv().getOrDefault("TETHER_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("TETHER_TEST_PG_USER", "postgres");

    private final String name;
    private final PGSimpleDataSource dataSource;

    private PostgresSchema(String name) {
        this.name = name;
        this.dataSource = dataSource(name);
    }

    /** A new, migrated schema; skips (or, under CI, fails) the calling test when PostgreSQL is unreachable. */
    public static PostgresSchema create() {
        requireServer();
        PostgresSchema schema = new PostgresSchema("tether_test_" + UUID.randomUUID().toString().replace("-", "")
                .substring(0, 16).toLowerCase(Locale.ROOT));
        Flyway.configure().dataSource(dataSource(null)).schemas(schema.name).createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        return schema;
    }

    /** Whether the test server answers; fails under {@code CI=true} when it does not, otherwise aborts the test. */
    public static void requireServer() {
        try (Connection c = dataSource(null).getConnection()) {
            c.isValid(2);
        } catch (SQLException e) {
            String message = "\n!!! PostgreSQL tests SKIPPED: no server at " + URL + " as " + USER + " ("
                    + e.getMessage() + "). Start it (.ci/run does) to run them. !!!\n";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message, e);
            }
            System.err.println(message);
            Assumptions.abort(message);
        }
    }

    /** Connections whose search path is this schema. */
    public DataSource dataSource() {
        return dataSource;
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this schema (for a service's {@code quarkus.datasource.jdbc.url}). */
    public String url() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    /** Empties every table (between tests of one class). */
    public void truncate() {
        sql("TRUNCATE sessions, journal, idempotency_keys");
    }

    /** Runs statements in this schema. */
    public void sql(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
        }
    }

    /** Drops the schema and everything in it. */
    public void drop() {
        try (Connection c = dataSource(null).getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + name + ": " + e.getMessage(), e);
        }
    }

    private static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(URL);
        ds.setUser(USER);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }
}
