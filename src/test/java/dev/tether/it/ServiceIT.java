package dev.tether.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.importer.Rollouts;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseClient.Frame;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Black-box test of the packaged application, over HTTP only: {@code @QuarkusIntegrationTest} launches
 * {@code target/quarkus-app} (or, with {@code ./mvnw verify -Dnative}, the native executable) with the configuration of
 * {@link ServiceResource} (fake LLM, bearer token, own data dir, Codex home with a {@code .jsonl.zst} rollout). One
 * launch configuration for every test, so the application starts once.
 */
@QuarkusIntegrationTest
@WithTestResource(ServiceResource.class)
class ServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ServiceResource.TOKEN);

    private FakeLlmServer llm;

    @BeforeEach
    void reset() {
        llm = FakeLlmResource.server();
        llm.reset();
    }

    @Test
    void everyApiPathWantsTheTokenHealthDoesNot() {
        given().get("/api/sessions").then().statusCode(401)
                .contentType(startsWith("application/problem+json")).body("status", equalTo(401));
        given().header("Authorization", "Bearer wrong-token").get("/api/sessions").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().headers(AUTH).get("/api/sessions").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void promptWithAToolRoundTripStreamsTheTurnAndTheSessionIsListed() throws Exception {
        String directory = ServiceResource.workspace().toString();
        String id = given().headers(AUTH).contentType(ContentType.JSON).body(Map.of("directory", directory))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        new RoutedLlm(llm).script(RoutedLlm.Kind.LOOP,
                Reply.text("Reading.").toolCall("call_r", "read", "{\"path\":\"a.txt\"}"),
                Reply.text("It says ", "hello."));

        List<Frame> frames = new ArrayList<>();
        try (SseClient stream = SseClient.post(uri("/api/sessions/" + id + "/prompt"),
                JSON.createObjectNode().put("message", "What does a.txt say?").toString(), AUTH)) {
            for (Frame f = stream.next(); ; f = stream.next()) {
                frames.add(f);
                if ("done".equals(f.event())) {
                    break;
                }
            }
        }
        List<String> types = frames.stream().map(Frame::event).toList();
        assertTrue(types.containsAll(List.of("thinking", "text_chunk", "tool_call_start", "tool_call_complete",
                "done")), types.toString());
        JsonNode toolDone = JSON.readTree(frames.get(types.indexOf("tool_call_complete")).data());
        assertTrue(toolDone.toString().contains("hello"), "the read tool's output is streamed: " + toolDone);
        JsonNode result = JSON.readTree(frames.get(frames.size() - 1).data()).get("result");
        assertEquals("completed", result.get("terminal_reason").asText(), result.toString());
        assertEquals("It says hello.", result.get("text").asText());

        assertTrue(llm.requests().stream().map(RecordedRequest::body)
                        .anyMatch(body -> body.contains("call_r") && body.contains("hello")),
                "a model call carried the tool result back");

        given().headers(AUTH).queryParam("directory", directory).get("/api/sessions").then().statusCode(200)
                .body("sessions.id", hasItem(id));
        given().headers(AUTH).get("/api/sessions/" + id).then().statusCode(200)
                .body("messages.size()", equalTo(4));
    }

    @Test
    void importsACompressedCodexRollout() {
        given().headers(AUTH).contentType(ContentType.JSON).body(Map.of("id", Rollouts.EXAMPLE_ID))
                .post("/api/import/codex").then().statusCode(200)
                .body("imported", equalTo(1)).body("files[0].outcome", equalTo("imported"))
                .body("files[0].path", org.hamcrest.Matchers.endsWith(".jsonl.zst"));
        given().headers(AUTH).get("/api/sessions/" + Rollouts.EXAMPLE_ID).then().statusCode(200)
                .body("messages.content.flatten().text",
                        hasItem("Which migration adds the invoices.currency column?"));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }
}
