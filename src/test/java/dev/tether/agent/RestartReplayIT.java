package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.AppClient;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.PackagedApp;
import dev.tether.testing.Reply;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseClient.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replay across a real restart: the packaged application runs as a child process ({@link PackagedApp}) against the
 * fake LLM in this JVM. A prompt stream is read up to the middle of the turn, the process is stopped, a new one starts
 * on the same data dir, and {@code GET /events} with {@code Last-Event-ID} delivers every durable event exactly once,
 * with the ids the first process gave them, then follows the next turn live.
 */
@Tag("slow")
class RestartReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void durableEventsSurviveARestartExactlyOnceWithTheSameIds() throws Exception {
        Path base = Files.createDirectories(Path.of("target").toAbsolutePath());
        Path root = Files.createTempDirectory(base, "it-restart-").toRealPath();
        Path data = Files.createDirectory(root.resolve("data"));
        Path workspace = Files.createDirectory(root.resolve("ws"));
        Files.writeString(workspace.resolve("a.txt"), "hello\n");
        Path log = root.resolve("app.log");

        try (FakeLlmServer llm = FakeLlmServer.start()) {
            RoutedLlm routed = new RoutedLlm(llm);
            routed.script(RoutedLlm.Kind.LOOP, Reply.text("Reading.").toolCall("call_r", "read", "{\"path\":\"a.txt\"}"),
                    // a slow second step: the process is stopped while it streams
                    Reply.text("Listing", " the", " files", " now", " and", " then", " I", " will", " answer", ".")
                            .toolCall("call_l", "list", "{}").chunkDelay(Duration.ofMillis(500)),
                    Reply.text("It says hello."));
            String id;
            List<Frame> first = new ArrayList<>();
            try (PackagedApp app = PackagedApp.start(data, workspace, llm, log)) {
                AppClient client = new AppClient(app);
                id = client.createSession(workspace, null);
                try (SseClient stream = client.promptStream(id, AppClient.promptBody("What does a.txt say?", null),
                        Map.of())) {
                    for (; ; ) {
                        Frame f = stream.next();
                        first.add(f);
                        if (f.event().equals("tool_call_complete")) {
                            break;
                        }
                    }
                    assertTrue(llm.awaitRequests(3, Duration.ofSeconds(30)), "the slow step reached the model");
                }
            } // stopped here, in the middle of the slow step
            List<Frame> firstDurable = first.stream().filter(Frame::durable).toList();
            assertFalse(firstDurable.isEmpty());
            String lastSeen = firstDurable.get(firstDurable.size() - 1).id();

            routed = new RoutedLlm(llm); // forget what the stopped turn did not consume
            routed.script(RoutedLlm.Kind.LOOP, Reply.text("Back again."));
            try (PackagedApp app = PackagedApp.start(data, workspace, llm, log)) {
                AppClient client = new AppClient(app);
                List<Frame> second = new ArrayList<>();
                try (SseClient again = client.events(id, Map.of("Last-Event-ID", lastSeen)).awaitFollowing()) {
                    JsonNode result = client.promptResult(id, AppClient.promptBody("And now?", null), Map.of());
                    assertEquals("completed", result.get("terminal_reason").asText(), result.toString());
                    assertEquals("Back again.", result.get("text").asText());
                    readUntil(again, second, f -> isDoneWithText(f, "Back again."));
                }
                List<Frame> journal = new ArrayList<>();
                try (SseClient replay = client.events(id, Map.of("Last-Event-ID", "0"))) {
                    readUntil(replay, journal, f -> isDoneWithText(f, "Back again."));
                }
                List<Frame> seen = new ArrayList<>(firstDurable);
                seen.addAll(second.stream().filter(Frame::durable).toList());
                assertEquals(journal, seen, "every durable event exactly once, in order, with the same ids");
                Set<Long> ids = new HashSet<>();
                long previous = 0;
                for (Frame f : journal) {
                    long n = Long.parseLong(f.id());
                    assertTrue(n > previous, "ids strictly increase across the restart");
                    previous = n;
                    ids.add(n);
                }
                assertEquals(journal.size(), ids.size());
                // what the first process showed is a prefix of the journal, ids included
                assertEquals(firstDurable, journal.subList(0, firstDurable.size()));
                assertTrue(second.stream().anyMatch(f -> f.event().equals("thinking")),
                        "the reconnected client followed the next turn live");
                // the graceful shutdown aborted the interrupted turn and recorded its terminal event
                assertTrue(journal.stream().anyMatch(PRE_RESTART_ABORTED), "the stopped turn ended as aborted");
            }
        }
    }

    private static final Predicate<Frame> PRE_RESTART_ABORTED = f -> {
        try {
            return f.event().equals("done")
                    && JSON.readTree(f.data()).get("result").get("terminal_reason").asText().equals("aborted");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    };

    private static boolean isDoneWithText(Frame f, String text) {
        if (!f.event().equals("done")) {
            return false;
        }
        try {
            return JSON.readTree(f.data()).get("result").get("text").asText().equals(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void readUntil(SseClient client, List<Frame> into, Predicate<Frame> last) throws Exception {
        for (; ; ) {
            Frame f = client.next();
            into.add(f);
            if (last.test(f)) {
                return;
            }
        }
    }
}
