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
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code tether.agent.max-concurrent-turns=1}: a prompt on another session while a turn runs is refused at once with
 * a 503 problem and nothing of it is stored; once that turn ended, the same prompt is admitted. The running turn
 * waits on a model that never answers (the default call bound is minutes) until the test aborts it, so the refusal
 * does not depend on how fast a loaded machine runs the test.
 */
@QuarkusTest
@TestProfile(TurnAdmissionTest.OneTurn.class)
@WithTestResource(FakeLlmResource.class)
class TurnAdmissionTest {

    public static class OneTurn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.agent.max-concurrent-turns", "1");
        }
    }

    @InjectFakeLlm
    FakeLlmServer llm;

    @Test
    void aPromptBeyondTheTurnLimitIsRefusedWith503WithoutBeingStoredAndAdmittedOnceTheTurnEnded() throws Exception {
        RoutedLlm routed = new RoutedLlm(llm);
        Path workspace = Workspaces.withHello();
        String running = ApiSessions.create(workspace, null, "Running");
        String other = ApiSessions.create(workspace, null, "Other");
        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.hang());
        CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(
                () -> ApiSessions.promptResult(running, Map.of("message", "hello")));
        assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> !routed.requests(RoutedLlm.Kind.LOOP).isEmpty()),
                "the first turn is running");

        Response refused = ApiSessions.prompt(other, Map.of("message", "me too"));
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("application/problem+json", refused.contentType());
        assertEquals("https://tether.dev/problems/too-many-turns", refused.jsonPath().getString("type"));
        assertTrue(refused.jsonPath().getString("detail").contains("tether.agent.max-concurrent-turns"),
                refused.asString());
        assertEquals(0, ApiSessions.read(other).get("messages").size(), "nothing of the refused prompt was stored");

        given().post("/api/sessions/" + running + "/abort").then().statusCode(200);
        assertEquals("aborted", first.get(60, TimeUnit.SECONDS).get("terminal_reason").asText());
        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.text("Now."));
        assertEquals("completed", ApiSessions.promptResult(other, Map.of("message", "me too"))
                .get("terminal_reason").asText());
    }
}
