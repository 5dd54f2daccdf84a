package dev.tether.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.Sentinels;
import dev.tether.testing.SessionFixtures;
import dev.tether.session.store.SessionStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workspace confinement at use (spec §4.5) through the real loop over HTTP: imported Codex sessions whose {@code cwd}
 * lies outside {@code tether.workspace.root}, session directories that become symlinks leading out after creation or
 * between steps of a turn. The fake model asks for the sentinel files outside the root; nothing of them may be read,
 * written, stored or sent.
 */
@QuarkusTest
@TestProfile(ConfinementFlowTest.Roots.class)
@WithTestResource(FakeLlmResource.class)
class ConfinementFlowTest {

    static final Path BASE = Path.of("target/confinement-flow").toAbsolutePath();
    static final Path ROOT = BASE.resolve("root");
    static final Path CODEX = BASE.resolve("codex");
    private static final String PROBLEM = "https://tether.dev/problems/workspace-escape";
    private static final AtomicInteger CASES = new AtomicInteger();

    /** A workspace root, Codex home and data directory of this test's own; outside directories sit next to the root. */
    public static class Roots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.workspace.root", ROOT.toString(), "tether.codex.home", CODEX.toString(),
                    "tether.data-dir", BASE.resolve("data").toString());
        }
    }

    @InjectFakeLlm
    FakeLlmServer llm;

    @Inject
    SessionStore store;

    private RoutedLlm routed;
    private Sentinels outside;
    private Path proj;

    @BeforeEach
    void setUp() throws IOException {
        routed = new RoutedLlm(llm);
        Files.createDirectories(ROOT);
        outside = Sentinels.plant(Files.createTempDirectory(BASE, "outside-"));
        proj = Files.createTempDirectory(ROOT, "proj-").toRealPath();
        Files.writeString(proj.resolve("inside.txt"), "inside the root\n");
    }

    @AfterAll
    static void report() {
        System.out.printf("confinement flow: %d HTTP cases, outside tree unchanged in each%n", CASES.get());
    }

    @Test
    void importedSessionWithAnOutsideCwdIsReadableButPromptsAre403UntilItsDirectoryIsInside() throws Exception {
        String id = importRollout(outside.dir().toString());
        given().get("/api/sessions/" + id).then().statusCode(200)
                .body("metadata.directory", equalTo(outside.dir().toString()));
        given().queryParam("directory", outside.dir().toString()).get("/api/sessions").then().statusCode(200)
                .body("sessions.id", hasItem(id));
        scriptReadAndWriteOfTheSecret();

        assertRefusedUntouched(id);

        // once its directory is inside the root (as a PATCH would set it), the same session runs and works there
        SessionFixtures.seed(store, id, "moved", store.load(id).messages(), m -> m.withDirectory(proj.toString()));
        routed = new RoutedLlm(llm);
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("c1", "read", "{\"path\":\"inside.txt\"}"),
                Reply.text("Read it."));
        Map<String, String> before = outside.snapshot();
        JsonNode result = completedPrompt(id);
        assertEquals("completed", result.get("terminal_reason").asText());
        String toolOutput = lastToolResult(id);
        assertTrue(toolOutput.contains("inside the root"), toolOutput);
        outside.assertUnchanged(before, "prompt after the move");
        CASES.incrementAndGet();
    }

    @Test
    void importedSessionWithCwdSlashIsRefusedToo() throws Exception {
        String id = importRollout("/");
        given().get("/api/sessions/" + id).then().statusCode(200).body("metadata.directory", equalTo("/"));
        scriptReadAndWriteOfTheSecret();
        assertRefusedUntouched(id);
    }

    @Test
    void sessionCreatedOnAMissingDirectoryThatLaterBecomesAnOutsideSymlinkIsRefused() throws Exception {
        Path later = ROOT.resolve("later-" + UUID.randomUUID());
        String id = given().contentType(ContentType.JSON).body(Map.of("directory", later.toString()))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        Files.createSymbolicLink(later, outside.dir());
        scriptReadAndWriteOfTheSecret();
        assertRefusedUntouched(id);
    }

    @Test
    void creationThroughASymlinkLeadingOutIsRefusedEvenWhenItDangles() throws Exception {
        Path dangling = Files.createSymbolicLink(ROOT.resolve("dangling-" + UUID.randomUUID()),
                outside.dir().resolve("not-yet"));
        Path leading = Files.createSymbolicLink(ROOT.resolve("out-" + UUID.randomUUID()), outside.dir());
        for (String directory : List.of(dangling.toString(), leading.resolve("new").toString(),
                outside.dir().toString(), "/")) {
            given().contentType(ContentType.JSON).body(Map.of("directory", directory)).post("/api/sessions")
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void directorySwappedForAnOutsideSymlinkBetweenStepsFailsTheToolsAndTouchesNothing() throws Exception {
        String id = ApiSessions.create(proj);
        AtomicInteger loopCalls = new AtomicInteger();
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("c1", "read", "{\"path\":\"inside.txt\"}"));
        routed.always(RoutedLlm.Kind.LOOP, r -> {
            if (loopCalls.incrementAndGet() == 1) {
                swapForLinkTo(proj, outside.dir()); // after step 1's tool ran, before step 2's calls arrive
                return Reply.turn().toolCall("c2", "read", "{\"path\":\"secret.txt\"}")
                        .toolCall("c3", "write", "{\"path\":\"pwned.txt\",\"content\":\"PWNED\"}")
                        .toolCall("c4", "list", "{}");
            }
            return Reply.text("Done.");
        });
        Map<String, String> before = outside.snapshot();

        JsonNode result = completedPrompt(id);
        assertEquals("completed", result.get("terminal_reason").asText());
        JsonNode messages = ApiSessions.read(id).get("messages");
        List<String> outputs = toolResults(messages);
        assertEquals(4, outputs.size(), outputs.toString());
        assertTrue(outputs.get(0).contains("- status: success") && outputs.get(0).contains("inside the root"),
                outputs.get(0));
        for (String output : outputs.subList(1, 4)) {
            assertTrue(output.contains("- status: failure")
                    && output.contains("The session directory lies outside the workspace root"), output);
        }
        outside.assertUnchanged(before, "swap between steps");
        assertNothingLeaked(id);
        CASES.incrementAndGet();

        // the next turn does not even start
        assertRefusedUntouched(id);
    }

    @Test
    void sessionInsideTheRootStillReadsAndWrites() throws Exception {
        String id = ApiSessions.create(proj);
        routed.script(RoutedLlm.Kind.LOOP, Reply.turn().toolCall("c1", "read", "{\"path\":\"inside.txt\"}")
                        .toolCall("c2", "write", "{\"path\":\"new/out.txt\",\"content\":\"made\"}"),
                Reply.text("Done."));
        JsonNode result = completedPrompt(id);
        assertEquals("completed", result.get("terminal_reason").asText());
        List<String> outputs = toolResults(ApiSessions.read(id).get("messages"));
        assertTrue(outputs.get(0).contains("inside the root"), outputs.get(0));
        assertTrue(outputs.get(1).contains("- status: success"), outputs.get(1));
        assertEquals("made", Files.readString(proj.resolve("new/out.txt")));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The model would read the sentinel and write next to it, were the turn to start. */
    private void scriptReadAndWriteOfTheSecret() {
        routed.script(RoutedLlm.Kind.LOOP, Reply.turn().toolCall("c1", "read", "{\"path\":\"secret.txt\"}")
                .toolCall("c2", "write", "{\"path\":\"pwned.txt\",\"content\":\"PWNED\"}"), Reply.text("Done."));
    }

    /**
     * A prompt, as JSON and as a stream, answers 403 {@code workspace-escape} before anything happens: the session is
     * unchanged, it has no events, the model was not called, nothing outside changed.
     */
    private void assertRefusedUntouched(String id) {
        Map<String, String> before = outside.snapshot();
        String sessionBefore = given().get("/api/sessions/" + id).then().statusCode(200).extract().asString();
        int eventsBefore = store.eventsAfter(id, 0).size();
        int requestsBefore = llm.requests().size();
        for (String accept : List.of("application/json", "text/event-stream")) {
            Response r = prompt(id, accept);
            assertEquals(403, r.statusCode(), r.asString());
            assertEquals("application/problem+json", r.contentType());
            assertEquals(PROBLEM, r.jsonPath().getString("type"));
            assertTrue(r.jsonPath().getString("detail").contains("outside the workspace root"), r.asString());
            CASES.incrementAndGet();
        }
        assertEquals(sessionBefore, given().get("/api/sessions/" + id).then().statusCode(200).extract().asString());
        assertEquals(eventsBefore, store.eventsAfter(id, 0).size(), "no events");
        assertEquals(requestsBefore, llm.requests().size(), "the model was not called");
        outside.assertUnchanged(before, "refused prompt");
        assertNothingLeaked(id);
    }

    /** Neither the stored session nor anything sent to the model carries sentinel content. */
    private void assertNothingLeaked(String id) {
        outside.assertNoLeak(given().get("/api/sessions/" + id).then().extract().asString(), "stored session");
        llm.requests().forEach(r -> outside.assertNoLeak(r.body(), "request to the model"));
    }

    private String importRollout(String cwd) throws IOException {
        String id = UUID.randomUUID().toString();
        String ts = "2026-10-14T08:41:05.812Z";
        Path file = CODEX.resolve("sessions/2026/10/14/rollout-2026-10-14T08-41-05-" + id + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"timestamp\":\"" + ts + "\",\"type\":\"session_meta\",\"payload\":{\"id\":\"" + id
                + "\",\"timestamp\":\"" + ts + "\",\"cwd\":\"" + cwd + "\"}}\n"
                + "{\"timestamp\":\"" + ts + "\",\"type\":\"response_item\",\"payload\":{\"type\":\"message\","
                + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Read secret.txt\"}]}}\n");
        given().contentType(ContentType.JSON).body(Map.of("id", id)).post("/api/import/codex")
                .then().statusCode(200).body("imported", equalTo(1));
        return id;
    }

    private static JsonNode completedPrompt(String id) {
        return PromptFlowTest.read(prompt(id, "application/json").then().statusCode(200).extract().asString());
    }

    private static Response prompt(String id, String accept) {
        return given().contentType(ContentType.JSON).accept(accept).body(Map.of("message", "Read secret.txt"))
                .post("/api/sessions/" + id + "/prompt");
    }

    private static String lastToolResult(String id) {
        List<String> outputs = toolResults(ApiSessions.read(id).get("messages"));
        assertFalse(outputs.isEmpty());
        return outputs.get(outputs.size() - 1);
    }

    private static List<String> toolResults(JsonNode messages) {
        List<String> outputs = new ArrayList<>();
        for (JsonNode m : messages) {
            for (JsonNode part : m.get("content")) {
                if (part.get("type").asText().equals("tool_result")) {
                    outputs.add(part.get("content").asText());
                }
            }
        }
        return outputs;
    }

    private static void swapForLinkTo(Path dir, Path target) {
        try {
            Files.move(dir, dir.resolveSibling(dir.getFileName() + "-old"));
            Files.createSymbolicLink(dir, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
