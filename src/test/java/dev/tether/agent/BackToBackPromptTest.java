package dev.tether.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseClient;
import dev.tether.testing.Workspaces;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A turn ends before its terminal event or result reaches the client (spec §3.2 step 5): a client that sends its
 * next prompt the moment it sees {@code done} (SSE) or the JSON result is never refused with 409, even with the
 * default {@code if_busy: reject}.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class BackToBackPromptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROMPTS = 40;

    @InjectFakeLlm
    FakeLlmServer llm;

    @TestHTTPResource("/api/sessions/")
    URI sessions;

    private Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        new RoutedLlm(llm).always(RoutedLlm.Kind.LOOP, r -> Reply.text("ok"));
        workspace = Workspaces.withHello();
    }

    @Test
    void nextPromptSentOnDoneOverSseIsNeverRefused() throws Exception {
        String id = ApiSessions.create(workspace);
        SseClient previous = null;
        List<String> refusals = new ArrayList<>();
        int done = 0;
        for (int i = 0; i < PROMPTS; i++) {
            SseClient stream;
            try {
                stream = SseClient.post(sessions.resolve(id + "/prompt"), JSON.writeValueAsString(
                        Map.of("message", "prompt " + i)));
            } catch (AssertionError refused) {
                refusals.add("prompt " + i + ": " + refused.getMessage());
                continue;
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
            // read up to the terminal frame only: the next prompt goes out before this stream has ended
            SseClient.Frame last = stream.next();
            while (!last.event().equals("done") && !last.event().equals("error")) {
                last = stream.next();
            }
            assertEquals("done", last.event(), last.data());
            done++;
            previous = stream;
        }
        if (previous != null) {
            previous.close();
        }
        System.out.printf("back-to-back SSE prompts: %d sent, %d done, %d refused%n", PROMPTS, done,
                refusals.size());
        assertTrue(refusals.isEmpty(), refusals.toString());
        assertEquals(PROMPTS, done);
    }

    @Test
    void nextPromptSentOnTheJsonResultIsNeverRefused() {
        String id = ApiSessions.create(workspace);
        List<String> refusals = new ArrayList<>();
        int completed = 0;
        for (int i = 0; i < PROMPTS; i++) {
            Response r = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                    .body(Map.of("message", "prompt " + i)).post("/api/sessions/" + id + "/prompt");
            if (r.statusCode() != 200) {
                refusals.add("prompt " + i + ": " + r.statusCode() + " " + r.asString());
                continue;
            }
            if ("completed".equals(r.jsonPath().getString("terminal_reason"))) {
                completed++;
            }
        }
        System.out.printf("back-to-back JSON prompts: %d sent, %d completed, %d refused%n", PROMPTS, completed,
                refusals.size());
        assertTrue(refusals.isEmpty(), refusals.toString());
        assertEquals(PROMPTS, completed);
        JsonNode messages = PromptFlowTest.read(given().get("/api/sessions/" + id).then().statusCode(200).extract()
                .asString()).get("messages");
        assertEquals(2 * PROMPTS, messages.size(), "every turn left its user and assistant message");
    }

}
