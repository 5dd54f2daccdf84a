package dev.tether.a2a;

import static dev.tether.a2a.A2aCalls.errorCode;
import static dev.tether.a2a.A2aCalls.kinds;
import static dev.tether.a2a.A2aCalls.message;
import static dev.tether.a2a.A2aCalls.result;
import static dev.tether.a2a.A2aCalls.results;
import static dev.tether.a2a.A2aCalls.send;
import static dev.tether.a2a.A2aCalls.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.api.TokenProfile;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.Usage;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import dev.tether.testing.Eventually;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The A2A methods end to end: JSON-RPC over HTTP → tasks → the agentic loop → fake LLM on 127.0.0.1 → real tools. */
@QuarkusTest
@TestProfile(TokenProfile.class)
class A2aTasksTest {

    private static final String PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    @TestHTTPResource("/a2a")
    URI a2a;

    @Inject
    SessionStore store;

    private RoutedLlm routed;

    @BeforeEach
    void setUp() {
        routed = new RoutedLlm(FakeLlmResource.server());
    }

    @Test
    void blockingSendRunsATurnWithAToolRoundTripAndAnswersTheCompletedTask() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("call_1", "list", "{\"path\":", "\".\"}"),
                Reply.text("Two entries.").usage(10, 2));
        JsonNode task = result("message/send", Map.of("message", message("List the files", null)));

        assertEquals("task", task.get("kind").asText());
        assertEquals("completed", task.get("status").get("state").asText());
        String context = task.get("contextId").asText();
        assertTrue(task.get("id").asText().startsWith(context + ":"), task.toString());
        JsonNode answer = task.get("artifacts").get(0);
        assertEquals("answer", answer.get("name").asText());
        assertEquals("Two entries.", answer.get("parts").get(0).get("text").asText());
        JsonNode history = task.get("history");
        assertEquals(List.of("user", "agent", "agent", "agent"), roles(history));
        assertEquals("List the files", history.get(0).get("parts").get(0).get("text").asText());
        JsonNode call = history.get(1).get("parts").get(0);
        assertEquals("data", call.get("kind").asText());
        assertEquals("tool_call", call.get("data").get("type").asText());
        assertEquals("list", call.get("data").get("name").asText());
        assertEquals(".", call.get("data").get("arguments").get("path").asText());
        assertEquals("tool_result", history.get(2).get("parts").get(0).get("data").get("type").asText());
        assertEquals("completed", task.get("metadata").get("tether").get("terminal_reason").asText());
        assertEquals(2, task.get("metadata").get("tether").get("steps").asInt());

        Session session = store.load(context);
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT),
                session.messages().stream().map(Message::role).toList());
    }

    @Test
    void aMessageInTheSameContextContinuesTheSessionAsATaskOfItsOwn() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("First."), Reply.text("Second."));
        JsonNode first = result("message/send", Map.of("message", message("one", null)));
        String context = first.get("contextId").asText();
        JsonNode second = result("message/send", Map.of("message", message("two", context)));

        assertEquals(context, second.get("contextId").asText());
        assertNotEquals(first.get("id").asText(), second.get("id").asText());
        String sent = routed.requests(RoutedLlm.Kind.LOOP).get(1).messages().toString();
        assertTrue(sent.contains("one") && sent.contains("First."), "the model saw the first exchange: " + sent);

        JsonNode again = result("tasks/get", Map.of("id", first.get("id").asText()));
        assertEquals(List.of("one", "First."), texts(again.get("history")));
        JsonNode last = result("tasks/get", Map.of("id", second.get("id").asText(), "historyLength", 1));
        assertEquals(List.of("Second."), texts(last.get("history")));
        assertEquals(0, result("tasks/get", Map.of("id", second.get("id").asText(), "historyLength", 0))
                .get("history").size());
    }

    @Test
    void aContextIdThatNamesNoSessionCreatesItUnderThatId() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Hello."));
        String context = "a2a-ctx-" + UUID.randomUUID();
        JsonNode task = result("message/send", Map.of("message", message("hi", context)));
        assertEquals(context, task.get("contextId").asText());
        assertEquals("Hello.", store.load(context).messages().get(1).text());
    }

    @Test
    void imageFilePartsBecomeImageAttachmentsOfThePrompt() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("A pixel."));
        Map<String, Object> msg = message("What is this?", null);
        msg.put("parts", List.of(Map.of("kind", "text", "text", "What is this?"),
                Map.of("kind", "file", "file", Map.of("bytes", PIXEL, "mimeType", "image/png", "name", "p.png"))));
        JsonNode task = result("message/send", Map.of("message", msg));

        List<ContentPart> user = store.load(task.get("contextId").asText()).messages().get(0).content();
        assertEquals(new ContentPart.Text("What is this?"), user.get(0));
        assertEquals("data:image/png;base64," + PIXEL, ((ContentPart.Image) user.get(1)).url());
        JsonNode file = task.get("history").get(0).get("parts").get(1);
        assertEquals(PIXEL, file.get("file").get("bytes").asText());
        assertTrue(routed.requests(RoutedLlm.Kind.LOOP).get(0).messages().toString().contains(PIXEL));
    }

    @Test
    void nonBlockingSendAnswersAtOnceAndCancelAbortsTheTurnBeforeTheTaskIsCanceled() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.hang());
        JsonNode task = result("message/send", send(message("Take your time", null), false));
        String id = task.get("id").asText();
        assertTrue(List.of("submitted", "working").contains(task.get("status").get("state").asText()), task.toString());
        awaitModelCalled();
        JsonNode running = result("tasks/get", Map.of("id", id));
        assertEquals("working", running.get("status").get("state").asText());
        assertEquals(List.of("Take your time"), texts(running.get("history")));

        JsonNode canceled = result("tasks/cancel", Map.of("id", id));
        assertEquals("canceled", canceled.get("status").get("state").asText());
        assertEquals("aborted", canceled.get("metadata").get("tether").get("terminal_reason").asText());
        assertEquals("canceled", result("tasks/get", Map.of("id", id)).get("status").get("state").asText());
        assertEquals(A2aException.TASK_NOT_CANCELABLE, errorCode("tasks/cancel", Map.of("id", id)));
    }

    @Test
    void aSecondTaskInABusyContextIsAnUnsupportedOperation() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.hang());
        JsonNode task = result("message/send", send(message("slow", null), false));
        awaitModelCalled();
        assertEquals(A2aException.UNSUPPORTED_OPERATION, errorCode("message/send",
                Map.of("message", message("meanwhile", task.get("contextId").asText()))));
        result("tasks/cancel", Map.of("id", task.get("id").asText()));
    }

    @Test
    void streamSendsTheTaskItsToolCallsTheAnswerAndTheFinalStatus() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("call_9", "list", "{}"), Reply.text("Listed."));
        List<JsonNode> events;
        try (SseClient sse = stream(a2a, "message/stream", Map.of("message", message("List", null)))) {
            events = results(sse);
        }
        assertEquals(List.of("task:submitted", "status-update:working", "status-update:working",
                "status-update:working", "artifact-update", "status-update:completed"), kinds(events));
        String id = events.get(0).get("id").asText();
        JsonNode call = events.get(2).get("status").get("message").get("parts").get(0).get("data");
        assertEquals("tool_call", call.get("type").asText());
        assertEquals("call_9", call.get("tool_call_id").asText());
        JsonNode done = events.get(3).get("status").get("message").get("parts").get(0).get("data");
        assertEquals("tool_result", done.get("type").asText());
        assertTrue(done.get("success").asBoolean());
        assertEquals("Listed.", events.get(4).get("artifact").get("parts").get(0).get("text").asText());
        JsonNode last = events.get(5);
        assertTrue(last.get("final").asBoolean());
        assertEquals(id, last.get("taskId").asText());
        assertEquals("completed", result("tasks/get", Map.of("id", id)).get("status").get("state").asText());
    }

    @Test
    void resubscribeFollowsARunningTaskToItsEndAndSendsAnEndedTaskAlone() throws Exception {
        routed.script(RoutedLlm.Kind.LOOP, Reply.hang());
        JsonNode task = result("message/send", send(message("slow", null), false));
        String id = task.get("id").asText();
        awaitModelCalled();
        List<JsonNode> events;
        try (SseClient sse = stream(a2a, "tasks/resubscribe", Map.of("id", id))) {
            JsonNode first = A2aCalls.JSON.readTree(sse.nextData().data()).get("result");
            assertEquals("working", first.get("status").get("state").asText());
            result("tasks/cancel", Map.of("id", id));
            events = results(sse);
        }
        JsonNode last = events.get(events.size() - 1);
        assertEquals("canceled", last.get("status").get("state").asText());
        assertTrue(last.get("final").asBoolean());

        try (SseClient sse = stream(a2a, "tasks/resubscribe", Map.of("id", id))) {
            assertEquals(List.of("task:canceled"), kinds(results(sse)));
        }
    }

    @Test
    void tasksAreReadBackFromTheJournalAndOneAStopCutShortIsFailed() throws Exception {
        // what a restart leaves behind: keyed turns in the journal and nothing running in this process
        Session session = Session.create("journal", null, SessionMetadata.DEFAULT, Instant.now());
        store.create(session);
        String ended = session.id() + ":" + UUID.randomUUID();
        String cut = session.id() + ":" + UUID.randomUUID();
        Instant expires = Instant.now().plus(Duration.ofHours(1));
        try (SessionWriter writer = store.openWriter(session.id())) {
            writer.appendKeyedPrompt(Message.userText("first"), Instant.now(), ended, "h1", expires);
            writer.appendMessage(Message.assistantText("Recorded answer."), Instant.now());
            writer.recordTurnResult(ended, new SessionResult("Recorded answer.", session.id(),
                    TerminalReason.COMPLETED, 1, Usage.ZERO, null));
            writer.appendKeyedPrompt(Message.userText("second"), Instant.now(), cut, "h2", expires);
        }
        JsonNode done = result("tasks/get", Map.of("id", ended));
        assertEquals("completed", done.get("status").get("state").asText());
        assertEquals(List.of("first", "Recorded answer."), texts(done.get("history")));
        assertEquals("Recorded answer.", done.get("artifacts").get(0).get("parts").get(0).get("text").asText());

        JsonNode interrupted = result("tasks/get", Map.of("id", cut));
        assertEquals("failed", interrupted.get("status").get("state").asText());
        assertTrue(interrupted.get("status").get("message").get("parts").get(0).get("text").asText()
                .contains("interrupted"));
        assertEquals(List.of("second"), texts(interrupted.get("history")));
        assertEquals(A2aException.TASK_NOT_CANCELABLE, errorCode("tasks/cancel", Map.of("id", cut)));
    }

    private void awaitModelCalled() {
        assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> !routed.requests(RoutedLlm.Kind.LOOP).isEmpty()),
                "the turn did not call the model");
    }

    private static List<String> roles(JsonNode history) {
        List<String> out = new ArrayList<>();
        history.forEach(m -> out.add(m.get("role").asText()));
        return out;
    }

    private static List<String> texts(JsonNode history) {
        List<String> out = new ArrayList<>();
        history.forEach(m -> out.add(m.get("parts").get(0).path("text").asText()));
        return out;
    }
}
