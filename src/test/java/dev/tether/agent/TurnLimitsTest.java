package dev.tether.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.Eventually;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.Workspaces;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wall-time bounds of spec §3.8 over HTTP, with short limits: a provider that never answers ends the turn with
 * an error naming {@code tether.agent.max-call-duration}; a turn that keeps making progress past
 * {@code tether.agent.max-turn-duration} is cancelled and ends with an error naming that key, every tool call paired.
 * Either way the session takes the next prompt. The turn-slot limit is {@link TurnAdmissionTest}'s.
 */
@QuarkusTest
@TestProfile(TurnLimitsTest.ShortLimits.class)
@WithTestResource(FakeLlmResource.class)
class TurnLimitsTest {

    /** Idle timeout 2 s (the test default), call bound 2 s, turn bound 4 s. */
    public static class ShortLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.agent.max-call-duration", "2s", "tether.agent.max-turn-duration", "4s");
        }
    }

    @InjectFakeLlm
    FakeLlmServer llm;

    private RoutedLlm routed;
    private Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        routed = new RoutedLlm(llm);
        workspace = Workspaces.withHello();
    }

    @Test
    void aProviderThatNeverAnswersEndsTheTurnWithAnErrorNamingTheCallBound() {
        String id = ApiSessions.create(workspace);
        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.hang());
        JsonNode result = prompt(id, "hello");
        assertEquals("error", result.get("terminal_reason").asText(), result.toString());
        assertTrue(result.get("error").asText().contains("tether.agent.max-call-duration (2s)"), result.toString());
        assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> llm.exchangesInFlight() == 0),
                "the hung exchange was closed");

        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.text("Back."));
        assertEquals("completed", prompt(id, "again").get("terminal_reason").asText());
    }

    @Test
    void aTurnPastItsBoundIsCancelledAndEndsWithAnErrorNamingTheTurnBound() {
        String id = ApiSessions.create(workspace);
        AtomicInteger calls = new AtomicInteger();
        // every step is quick and calls a tool: only the turn bound stops this turn (max_steps is 50)
        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.toolCall("c" + calls.incrementAndGet(), "list", "{}")
                .chunkDelay(Duration.ofMillis(50)));
        JsonNode result = prompt(id, "keep listing");
        assertEquals("error", result.get("terminal_reason").asText(), result.toString());
        assertTrue(result.get("error").asText().contains("tether.agent.max-turn-duration (4s)"), result.toString());
        assertTrue(result.get("steps").asInt() > 1 && result.get("steps").asInt() < 50, result.toString());
        PromptFlowTest.assertPaired(session(id).get("messages"));

        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.text("Back."));
        assertEquals("completed", prompt(id, "again").get("terminal_reason").asText());
    }

    private static JsonNode prompt(String id, String message) {
        Response r = given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("message", message))
                .post("/api/sessions/" + id + "/prompt");
        assertEquals(200, r.statusCode(), r.asString());
        return PromptFlowTest.read(r.asString());
    }

    private static JsonNode session(String id) {
        return PromptFlowTest.read(given().get("/api/sessions/" + id).then().statusCode(200).extract().asString());
    }
}
