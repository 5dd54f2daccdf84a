package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.testing.StoreDefaults;
import dev.tether.config.Json;
import dev.tether.session.Cancellation;
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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
class PgSessionStoreTest extends SessionStoreContract {

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
    void aQueuedWriterOnAnotherReplicaGetsTheSessionOnceItsWriterCloses() throws Exception {
        SessionStore replicaA = store();
        replicaA.create(session("s1", null, T0));
        SessionStore replicaB = store();
        SessionWriter first = replicaA.openWriter("s1");
        CountDownLatch attempts = new CountDownLatch(3); // refused twice, then trying again
        CompletableFuture<SessionWriter> queued = CompletableFuture.supplyAsync(() -> WriterWait.await("s1", () -> {
            attempts.countDown();
            return replicaB.openWriter("s1");
        }, Duration.ofMinutes(1), new Cancellation()));
        assertTrue(attempts.await(30, TimeUnit.SECONDS), "B retried while A held the writer");
        assertFalse(queued.isDone(), "B waits while A holds the writer");
        first.appendMessage(Message.userText("written by A"), T0.plusSeconds(1));
        first.close();
        try (SessionWriter second = queued.get(30, TimeUnit.SECONDS)) {
            assertEquals(java.util.List.of("written by A"), texts(second.current()), "B reads after taking the lock");
            second.appendMessage(Message.userText("then by B"), T0.plusSeconds(2));
        }
        assertEquals(java.util.List.of("written by A", "then by B"), texts(replicaA.load("s1")));
    }

    @Test
    void aQueuedWriterGivesUpWhenCancelledOrWhenItsBoundPasses() throws Exception {
        SessionStore replicaA = store();
        replicaA.create(session("s1", null, T0));
        SessionStore replicaB = store();
        try (SessionWriter held = replicaA.openWriter("s1")) {
            assertThrows(SessionBusyException.class,
                    () -> replicaB.awaitWriter("s1", Duration.ofMillis(50), new Cancellation()), "bound passed");
            Cancellation cancellation = new Cancellation();
            CountDownLatch retried = new CountDownLatch(2);
            CompletableFuture<SessionWriter> queued = CompletableFuture.supplyAsync(() -> WriterWait.await("s1", () -> {
                retried.countDown();
                return replicaB.openWriter("s1");
            }, Duration.ofMinutes(1), cancellation));
            assertTrue(retried.await(30, TimeUnit.SECONDS));
            cancellation.cancel();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> queued.get(30, TimeUnit.SECONDS));
            assertInstanceOf(Cancellation.CancelledException.class, failed.getCause());
            assertEquals(1, held.appendMessage(Message.userText("A still writes"), T0.plusSeconds(1)));
        }
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
