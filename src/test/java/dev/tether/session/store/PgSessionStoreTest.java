package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.testing.StoreDefaults;
import dev.tether.config.Json;
import dev.tether.session.Message;
import dev.tether.session.SessionBusyException;
import dev.tether.session.StoreException;
import dev.tether.testing.PostgresSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The PostgreSQL store against a real server, in a schema of its own: the {@link SessionStoreContract}, plus what
 * only it has (the advisory lock dies with its connection, events are announced by NOTIFY, a file store moves in).
 * Each {@link #open} is another replica on the same database.
 */
class PgSessionStoreTest extends SessionStoreContract implements QueuedWriterContract {

    private static PostgresSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = PostgresSchema.create();
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.drop();
        }
    }

    @BeforeEach
    void emptyTables() {
        schema.truncate();
    }

    @Override
    SessionStore open(StoreSettings settings) {
        return new PgSessionStore(schema.dataSource(), settings, new SimpleMeterRegistry(), Json.mapper());
    }

    @Override
    public SessionStore replica() {
        return store();
    }

    /** A trigger refusing the update of the session row: the commit's journal rows, inserted before, must go too. */
    @Override
    AutoCloseable breakAppends(String id) {
        schema.sql("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
                "CREATE TRIGGER refuse_updates BEFORE UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION refuse()");
        return () -> schema.sql("DROP TRIGGER refuse_updates ON sessions", "DROP FUNCTION refuse()");
    }

    @Test
    void theLockOfAWriterWhoseConnectionDiesIsReleased() throws Exception {
        SessionStore replicaA = store();
        replicaA.create(session("s1", null, T0));
        SessionWriter dying = replicaA.openWriter("s1");
        dying.appendMessage(Message.userText("before the crash"), T0.plusSeconds(1));
        dying.commit();
        SessionStore replicaB = store();
        assertThrows(SessionBusyException.class, () -> replicaB.openWriter("s1"));

        long key = PgJdbc.lockKey("s1");
        try (Connection c = schema.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks "
                     + "WHERE locktype = 'advisory' AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                assertEquals(true, rs.next() && rs.getBoolean(1), "the writer's backend was found and killed");
            }
        }
        dying.appendMessage(Message.userText("after"), T0.plusSeconds(2));
        assertThrows(StoreException.class, dying::commit, "the connection and its lock are gone");
        try (SessionWriter w = replicaB.openWriter("s1")) {
            assertEquals(2, w.appendMessage(Message.userText("on the survivor"), T0.plusSeconds(3)));
        }
        assertEquals(java.util.List.of("before the crash", "on the survivor"), texts(replicaB.load("s1")));
        dying.close(); // nothing left to release; must not throw
    }

    @Test
    void everyDurableEventIsAnnouncedWithItsSequenceAfterCommit() throws Exception {
        SessionStore store = store();
        store.create(session("s1", null, T0));
        try (Connection listener = schema.dataSource().getConnection(); Statement st = listener.createStatement()) {
            st.execute("LISTEN " + PgSessionStore.EVENTS_CHANNEL);
            try (SessionWriter w = store.openWriter("s1")) {
                w.appendMessage(Message.userText("not an event"), T0);
                w.appendEvent(mapper.readTree("{\"type\":\"done\"}"));
            }
            PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertNotNull(got);
            assertEquals(1, got.length);
            assertEquals("s1 2", got[0].getParameter());
            assertEquals("done", store.eventsAfter("s1", 1).get(0).event().get("type").asText());
        }
    }

    @Test
    void aFileStoreMovesInOnceAndAgainCopiesNothing() {
        Path dataDir = dirs.resolve("file-store");
        FileSessionStore files = new FileSessionStore(dataDir, StoreDefaults.settings(), new SimpleMeterRegistry());
        files.create(session("f1", null, T0));
        files.create(session("f2", null, T0.plusSeconds(1)));
        try (SessionWriter w = files.openWriter("f1")) {
            w.appendMessage(Message.userText("moved with it"), T0.plusSeconds(2));
        }
        files.close();
        SessionStore pg = store();
        pg.create(session("f2", null, T0.plusSeconds(5))); // already there: kept as it is

        StoreImport importer = new StoreImport(StoreDefaults.settings(), Json.mapper());
        assertEquals(new StoreImport.Report(1, 1, 0), importer.run(dataDir.toString(), pg));
        assertEquals(java.util.List.of("moved with it"), texts(pg.load("f1")));
        assertEquals(T0.plusSeconds(5), pg.load("f2").updatedAt(), "an existing session is not overwritten");
        assertEquals(new StoreImport.Report(0, 2, 0), importer.run(dataDir.toString(), pg), "idempotent");
    }
}
