package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.AppClient;
import dev.tether.testing.Eventually;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.PackagedApp;
import dev.tether.testing.PostgresSchema;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseClient.Frame;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged application (child JVMs on free ports) on one PostgreSQL schema: a session created on
 * A is prompted on B while a client follows it on A, which sees B's turn live; B is SIGKILLed while the model stalls
 * mid-stream while a prompt queued on A ({@code if_busy: queue}) waits for B's writer; the session still loads on A,
 * B's writer lock died with its connection, and the queued prompt on A completes.
 */
@Tag("slow")
class TwoReplicaIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTurnOnOneReplicaIsFollowedOnTheOtherAndItsCrashFreesTheSession() throws Exception {
        PostgresSchema schema = PostgresSchema.create();
        Path base = Files.createDirectories(Path.of("target").toAbsolutePath());
        Path root = Files.createTempDirectory(base, "it-replicas-").toRealPath();
        Path workspace = Files.createDirectory(root.resolve("ws"));
        Files.writeString(workspace.resolve("a.txt"), "hello\n");
        String[] postgres = {"-Dtether.store.kind=postgres", "-Dquarkus.datasource.jdbc.url=" + schema.url(),
                "-Dquarkus.datasource.username=" + PostgresSchema.USER};
        try (FakeLlmServer llm = FakeLlmServer.start()) {
            RoutedLlm routed = new RoutedLlm(llm);
            routed.script(RoutedLlm.Kind.LOOP, Reply.text("Reading.").toolCall("call_r", "read", "{\"path\":\"a.txt\"}"),
                    // the second step stalls mid-stream: replica B is killed there
                    Reply.text("It", " says", " hello", " and", " more").stallAfter(2),
                    Reply.text("Done on A."));
            try (PackagedApp a = PackagedApp.start(Files.createDirectory(root.resolve("data-a")), workspace, llm,
                    root.resolve("a.log"), postgres);
                 PackagedApp b = PackagedApp.start(Files.createDirectory(root.resolve("data-b")), workspace, llm,
                         root.resolve("b.log"), postgres)) {
                AppClient onA = new AppClient(a);
                AppClient onB = new AppClient(b);
                String id = onA.createSession(workspace, "replicas");
                assertEquals(200, onB.get("/api/sessions/" + id).statusCode(), "B serves the session A created");

                List<Frame> seenOnA = new ArrayList<>();
                CompletableFuture<HttpResponse<String>> queued;
                try (SseClient followA = onA.events(id, Map.of()).awaitFollowing();
                     SseClient promptB = onB.promptStream(id, AppClient.promptBody("What does a.txt say?", null),
                             Map.of())) {
                    for (; ; ) { // B's turn, as A shows it: durable events relayed through the database
                        Frame f = followA.next();
                        seenOnA.add(f);
                        if (f.event().equals("tool_call_complete")) {
                            break;
                        }
                    }
                    assertTrue(llm.awaitStalled(Duration.ofSeconds(60)), "B's second step reached the model");
                    assertEquals(409, rejecting(onA, id, "Me too").statusCode(), "B holds the session's writer");
                    // queued on A, a prompt waits for B's writer (holding A's turn slot meanwhile) instead of 409
                    queued = onA.promptAsync(id, AppClient.promptBody("And now?", "queue"));
                    assertTrue(Eventually.holds(Duration.ofSeconds(60),
                            () -> busyDetail(onA, id).contains("A turn is already running")), "A's prompt is queued");
                    assertFalse(queued.isDone(), "no answer while B holds the writer");
                    assertEquals(137, b.kill(), "SIGKILL mid-turn");
                }
                assertTrue(seenOnA.stream().anyMatch(f -> f.event().equals("tool_call_start")));
                assertTrue(seenOnA.stream().allMatch(f -> f.id() != null && !f.id().isEmpty()),
                        "A sees B's durable events with their ids");

                HttpResponse<String> after = queued.get(90, TimeUnit.SECONDS); // B's lock died with it
                assertEquals(200, after.statusCode(), after.body());
                JsonNode result = JSON.readTree(after.body());
                assertEquals("completed", result.get("terminal_reason").asText(), result.toString());
                assertEquals("Done on A.", result.get("text").asText());
                JsonNode session = onA.session(id);
                List<String> texts = new ArrayList<>();
                session.get("messages").forEach(m -> texts.add(m.toString()));
                assertTrue(texts.get(0).contains("What does a.txt say?"), "B's committed prompt is kept");
                assertTrue(texts.get(texts.size() - 1).contains("Done on A."), texts.toString());
            }
        } finally {
            schema.drop();
        }
    }

    private static HttpResponse<String> rejecting(AppClient app, String id, String message) throws Exception {
        return app.prompt(id, AppClient.promptBody(message, "reject"), Map.of());
    }

    /** The detail of the 409 a rejecting prompt gets: who holds the session (this replica's slot, or the store). */
    private static String busyDetail(AppClient app, String id) {
        try {
            HttpResponse<String> r = rejecting(app, id, "Refused");
            assertEquals(409, r.statusCode(), r.body());
            return JSON.readTree(r.body()).path("detail").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
