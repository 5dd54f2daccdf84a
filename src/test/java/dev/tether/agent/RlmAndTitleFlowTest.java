package dev.tether.agent;

import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import dev.tether.testing.Workspaces;
import static dev.tether.testing.SseTurns.ofType;
import static dev.tether.testing.SseTurns.types;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.session.Message;
import dev.tether.session.RlmConfig;
import dev.tether.session.SessionMetadata;
import dev.tether.session.store.SessionStore;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm.Kind;
import dev.tether.testing.SessionFixtures;
import dev.tether.testing.SseTurns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RLM routing of bulk tool outputs and session titles end to end (spec §7, §8; scenarios 34–36): the loop over HTTP,
 * real provider clients, the fake LLM on 127.0.0.1 answering root iterations, sub-calls and title calls.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class RlmAndTitleFlowTest extends FakeLlmApiTest {

    private static final String ENVELOPE = "Tool call feedback\n- tool: %s\n- status: success\n\nOutput:\n";

    @Inject
    SessionStore store;

    @Override
    protected Path newWorkspace() throws IOException {
        return Workspaces.create();
    }

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(workspace.resolve("service.log"), BulkTool.OUTPUT);
    }

    // ---------------------------------------------------------------- scenario 34

    @Test
    void bulkToolOutputIsSummarisedByRlm() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(), m -> m);
        routed.script(Kind.LOOP, Reply.toolCall("b1", BulkTool.NAME, "{}"), Reply.text("Three timeouts."));
        routed.script(Kind.RLM_ROOT, Reply.toolCall("g1", "rlm_grep", "{\"pattern\":\"ERROR\",\"max_matches\":10}"),
                Reply.text("FINAL(\"3 errors, all timeouts\")"));

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "Summarise the errors in the log"));

        assertEquals("done", ContextFlowTest.last(events).path("type").asText(), types(events).toString());
        List<JsonNode> complete = ofType(events, "rlm_complete");
        assertEquals(1, complete.size());
        assertEquals("converged", complete.get(0).path("outcome").asText());
        assertEquals(2, complete.get(0).path("iterations").asInt());
        assertEquals(0, complete.get(0).path("subcalls").asInt());
        assertEquals("openai/gpt-4o", complete.get(0).path("root_model").asText());
        assertFalse(complete.get(0).has("subcall_model_used"), complete.get(0).toString());
        assertTrue(types(events).indexOf("tool_call_complete") < types(events).indexOf("rlm_complete"), "routing follows completion (§4.3)");

        // the root model saw the query and then the grep result: the three timeout lines
        List<RecordedRequest> root = routed.requests(Kind.RLM_ROOT);
        assertEquals(2, root.size());
        assertTrue(root.get(0).lastMessageText().contains("Summarise the errors in the log"));
        String grep = root.get(1).lastMessageText();
        assertEquals(3, grep.split("timed out", -1).length - 1, grep);

        String body = toolResult(id, 2);
        String prefix = String.format(ENVELOPE, BulkTool.NAME);
        assertTrue(body.startsWith(prefix + "[RLM summary of test_bulk output: "), body);
        assertTrue(body.endsWith("\n3 errors, all timeouts"), body);
        assertTrue(routed.requests(Kind.LOOP).get(1).lastMessageText().contains("[RLM summary of test_bulk output"));
    }

    @Test
    void theSameOutputFromReadIsNotRouted() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(), m -> m);
        routed.script(Kind.LOOP, Reply.toolCall("r1", "read", "{\"path\":\"service.log\"}"), Reply.text("Read it."));

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "Summarise the errors in the log"));

        assertEquals("done", ContextFlowTest.last(events).path("type").asText());
        assertTrue(ofType(events, "rlm_progress").isEmpty() && ofType(events, "rlm_complete").isEmpty(),
                types(events).toString());
        assertTrue(routed.requests(Kind.RLM_ROOT).isEmpty());
        String body = toolResult(id, 2);
        assertTrue(body.startsWith(String.format(ENVELOPE, "read")), body.substring(0, 200));
        assertFalse(body.contains("[RLM summary of"));
        assertTrue(body.contains("INFO worker-"), "the raw file content is kept");
    }

    @Test
    void rootModelErrorFailsTheRunAndTheOutputIsSmartTruncated() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(), m -> m);
        routed.script(Kind.RLM_ROOT, Reply.error(500, "server_error", "root model down"));
        routed.script(Kind.LOOP, Reply.toolCall("b1", BulkTool.NAME, "{}"), Reply.text("Partial view."));

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "Summarise the errors in the log"));

        assertEquals("done", ContextFlowTest.last(events).path("type").asText(), types(events).toString());
        JsonNode complete = ofType(events, "rlm_complete").get(0);
        assertEquals("failed", complete.path("outcome").asText());
        assertEquals(1, complete.path("iterations").asInt());
        assertTrue(complete.path("reason").asText().contains("root model"), complete.toString());
        assertEquals(1, routed.requests(Kind.RLM_ROOT).size(), "auxiliary calls do not retry");
        String body = toolResult(id, 2);
        assertTrue(body.contains("[… middle of test_bulk output omitted: kept "), body);
        assertEquals(2, routed.requests(Kind.LOOP).size(), "the turn goes on with the excerpt");
    }

    // ---------------------------------------------------------------- scenario 35

    @Test
    void unresolvableSubcallModelFallsBackAndAnExhaustedRunIsSmartTruncated() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(),
                m -> new SessionMetadata(m.directory(), m.model(), m.autoApplyEdits(), m.allowNetwork(),
                        new RlmConfig(RlmConfig.Mode.AUTO, 0.35, 15, 50, null, "nosuch/x"), m.contextPolicy()));
        AtomicInteger n = new AtomicInteger();
        routed.always(Kind.RLM_ROOT, r -> Reply.toolCall("s" + n.incrementAndGet(), "rlm_subcall",
                "{\"question\":\"Which requests failed?\",\"start\":1,\"end\":40}"));
        routed.always(Kind.RLM_SUBCALL, r -> Reply.text("None in this range."));
        routed.script(Kind.LOOP, Reply.toolCall("b1", BulkTool.NAME, "{}"), Reply.text("Could not tell."));

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "Summarise the errors in the log"));

        assertEquals("done", ContextFlowTest.last(events).path("type").asText(), types(events).toString());
        List<JsonNode> fallback = ofType(events, "rlm_subcall_fallback");
        assertEquals(1, fallback.size());
        assertEquals("nosuch/x", fallback.get(0).path("requested_model").asText());
        assertEquals("openai/gpt-4o", fallback.get(0).path("fallback_model").asText());
        assertTrue(types(events).indexOf("rlm_subcall_fallback") < types(events).indexOf("rlm_complete"));
        JsonNode complete = ofType(events, "rlm_complete").get(0);
        assertEquals("exhausted", complete.path("outcome").asText());
        assertEquals(15, complete.path("iterations").asInt());
        assertEquals(15, complete.path("subcalls").asInt());
        assertEquals("openai/gpt-4o", complete.path("subcall_model_used").asText());
        assertEquals(15, routed.requests(Kind.RLM_ROOT).size());
        assertEquals(15, routed.requests(Kind.RLM_SUBCALL).size());

        String body = toolResult(id, 2);
        String output = body.substring(String.format(ENVELOPE, BulkTool.NAME).length());
        assertTrue(output.startsWith(BulkTool.OUTPUT.substring(0, 200)), "head of the output first");
        assertTrue(output.contains("[… middle of test_bulk output omitted: kept "), output);
        String tail = BulkTool.OUTPUT.substring(BulkTool.OUTPUT.length() - 200);
        assertTrue(output.endsWith(tail) || output.contains(tail.trim()), "tail of the output last");
        int marker = output.indexOf("[… middle");
        assertTrue(marker > 2000 && marker <= 4096 * 60 / 100 + 1, "head ≈60 % of 4096 bytes: " + marker);
    }

    // ---------------------------------------------------------------- scenario 36

    @Test
    void aiTitleIsCleanedUp() {
        String id = ApiSessions.create(workspace);
        routed.script(Kind.TITLE, Reply.text("\"Fix Date Parser Bug.\"\nThis names the session."));
        routed.script(Kind.LOOP, Reply.text("On it."));
        String request = "The date parser fails on leap years, please fix it";

        SseTurns.prompt(sessions, id, Map.of("message", request));

        assertEquals("Fix Date Parser Bug", ApiSessions.read(id).path("title").asText());
        List<RecordedRequest> titles = routed.requests(Kind.TITLE);
        assertEquals(1, titles.size());
        JsonNode json = titles.get(0).json();
        assertEquals(0.2, json.path("temperature").asDouble(), 1e-9);
        assertEquals(0.9, json.path("top_p").asDouble(), 1e-9);
        assertTrue(json.path("tools").isMissingNode() || json.path("tools").isEmpty());
        assertEquals(request, titles.get(0).lastMessageText());
        assertTrue(llm.requests().indexOf(titles.get(0)) < llm.requests().indexOf(
                routed.requests(Kind.LOOP).get(0)), "named before step 1");
    }

    @Test
    void failedTitleCallFallsBackToTheHeuristicSkippingEnvironmentContext() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, null, List.of(Message.userText(
                "<environment_context>\n  <cwd>/src/ws</cwd>\n  <shell>bash</shell>\n</environment_context>")),
                m -> m);
        routed.script(Kind.TITLE, Reply.error(500, "server_error", "title service down"));
        routed.script(Kind.LOOP, Reply.text("On it."));
        String request = "Make the CSV exporter quote any field that has a comma in it";
        assertEquals(60, request.length());

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", request));

        assertEquals("done", ContextFlowTest.last(events).path("type").asText());
        assertEquals(request.substring(0, 47) + "...", ApiSessions.read(id).path("title").asText());
        List<RecordedRequest> titles = routed.requests(Kind.TITLE);
        assertEquals(1, titles.size(), "title calls are not retried");
        assertEquals(request, titles.get(0).lastMessageText(), "the environment block is not a title source");
    }

    @Test
    void titleReplyThatCleansToNothingFallsBackToTheHeuristic() {
        String id = ApiSessions.create(workspace);
        routed.script(Kind.TITLE, Reply.text("\n  \"...\"  \nA title would go here."));
        routed.script(Kind.LOOP, Reply.text("On it."));
        SseTurns.prompt(sessions, id, Map.of("message", "  Bump   the\tversion in pom.xml  "));
        assertEquals("Bump the version in pom.xml", ApiSessions.read(id).path("title").asText());
    }

    @Test
    void sessionWithATitleIsNotRenamed() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Kept title", List.of(), m -> m);
        routed.script(Kind.LOOP, Reply.text("Fine."));
        SseTurns.prompt(sessions, id, Map.of("message", "hello there"));
        assertEquals("Kept title", ApiSessions.read(id).path("title").asText());
        assertTrue(routed.requests(Kind.TITLE).isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    /** The stored content of the tool result at transcript index {@code index}. */
    private static String toolResult(String id, int index) {
        JsonNode m = ApiSessions.read(id).get("messages").get(index);
        assertEquals("tool", m.path("role").asText(), m.toString());
        return m.path("content").get(0).path("content").asText();
    }
}
