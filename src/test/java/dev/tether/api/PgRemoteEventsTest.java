package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.StoreDefaults;
import dev.tether.config.Json;
import dev.tether.event.SessionEvent;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.store.PgSessionStore;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import dev.tether.session.store.StoreSettings;
import dev.tether.testing.PostgresStoreProfile;
import dev.tether.testing.PostgresStoreResource;
import dev.tether.testing.RequiresPostgres;
import dev.tether.testing.SseClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/sessions/{id}/events} follows a session that another replica writes: the test writes as that
 * replica (its own {@link PgSessionStore} on the service's database), the service relays the committed events
 * (LISTEN/NOTIFY, events read from the journal table) with their ids, and {@code Last-Event-ID} replays them from the
 * table with no gap and no duplicate.
 */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@ExtendWith(RequiresPostgres.class)
class PgRemoteEventsTest {

    @Inject
    SessionStore store;

    @Inject
    ObjectMapper mapper;

    @TestHTTPResource("/api/sessions/")
    URI sessions;

    private SessionStore otherReplica() {
        return new PgSessionStore(PostgresStoreResource.schema().dataSource(), StoreDefaults.settings(),
                new SimpleMeterRegistry(), Json.mapper());
    }

    private JsonNode event(SessionEvent e) {
        return mapper.valueToTree(e);
    }

    @Test
    void eventsThatAnotherReplicaCommitsAreFollowedLiveAndReplayedByLastEventId() throws Exception {
        Session s = Session.create(null, null, null, Instant.now());
        store.create(s);
        SessionStore replica = otherReplica();
        try (SseClient follower = SseClient.get(sessions.resolve(s.id() + "/events"), Map.of(), null)
                .awaitFollowing(); SessionWriter writer = replica.openWriter(s.id())) {
            assertThrows(SessionBusyException.class, () -> store.openWriter(s.id()), "the other replica writes it");
            long first = writer.appendEvent(event(new SessionEvent.TextComplete("from the other replica")));
            long last = writer.appendEvent(event(new SessionEvent.Done(
                    new SessionResult("ok", s.id(), TerminalReason.COMPLETED, 1, null, null))));
            writer.commit(); // the durability point: one transaction, then the NOTIFYs
            SseClient.Frame a = follower.next();
            assertEquals("text_complete", a.event());
            assertEquals(Long.toString(first), a.id());
            SseClient.Frame b = follower.next();
            assertEquals("done", b.event());
            assertEquals(Long.toString(last), b.id());
        }
        try (SseClient resumed = SseClient.get(sessions.resolve(s.id() + "/events"), Map.of("Last-Event-ID", "1"),
                null)) {
            SseClient.Frame replayed = resumed.next();
            assertEquals("2", replayed.id(), "only what came after Last-Event-ID, from the table");
            assertEquals("done", replayed.event());
        }
    }

    @Test
    void readinessIncludesTheDatabaseAndMetricsThePool() {
        // this profile configures no provider, so readiness as a whole is DOWN: look at the datasource's check
        io.restassured.RestAssured.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'Database connections health check' }.status",
                        org.hamcrest.Matchers.equalTo("UP"));
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("agroal_active_count"))
                .body(org.hamcrest.Matchers.containsString("tether_store_operation_seconds_count{op=\"append\"}"));
    }
}
