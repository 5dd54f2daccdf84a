package dev.tether.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.session.store.PgSessionStore;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.Eventually;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.PostgresStoreProfile;
import dev.tether.testing.PostgresStoreResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RequiresPostgres;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.StoreDefaults;
import dev.tether.testing.Workspaces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code if_busy: queue} across replicas (spec §3.1): while another replica holds the session's writer (a second
 * store on the same schema, with its own advisory-lock connection), a queued prompt waits instead of answering 409,
 * and runs once that writer is released.
 */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@ExtendWith(RequiresPostgres.class)
@WithTestResource(FakeLlmResource.class)
class PgQueuedPromptTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectFakeLlm
    FakeLlmServer llm;

    @Test
    void aQueuedPromptWaitsForTheWriterOfAnotherReplicaThenRuns() throws Exception {
        RoutedLlm routed = new RoutedLlm(llm);
        String id = ApiSessions.create(Workspaces.withHello());
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("After the other replica."));
        SessionStore otherReplica = new PgSessionStore(PostgresStoreResource.schema().dataSource(),
                StoreDefaults.settings(), new SimpleMeterRegistry(), Json.mapper());
        SessionWriter held = otherReplica.openWriter(id);
        CompletableFuture<Response> queued;
        try {
            assertTrue(busyDetail(id).contains("another request or replica"), "reject: 409 from the store at once");
            queued = CompletableFuture.supplyAsync(
                    () -> ApiSessions.prompt(id, Map.of("message", "queued", "if_busy", "queue")));
            // the queued prompt holds this replica's turn slot while it waits for the other replica's writer
            assertTrue(Eventually.holds(Duration.ofSeconds(30),
                    () -> busyDetail(id).contains("A turn is already running")), "the queued prompt is waiting");
            assertFalse(queued.isDone(), "no answer while the other replica writes");
            assertTrue(routed.requests(RoutedLlm.Kind.LOOP).isEmpty(), "the queued turn has not started");
        } finally {
            held.close();
        }
        Response answered = queued.get(30, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.asString());
        JsonNode result = JSON.readTree(answered.asString());
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals("After the other replica.", result.get("text").asText());
    }

    private static String busyDetail(String id) {
        Response r = ApiSessions.prompt(id, Map.of("message", "rejected"));
        assertEquals(409, r.statusCode(), r.asString());
        return r.jsonPath().getString("detail");
    }
}
