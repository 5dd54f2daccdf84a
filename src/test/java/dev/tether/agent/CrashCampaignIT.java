package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.agent.CampaignClient.Sent;
import dev.tether.testing.AppClient;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.PackagedApp;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.Workspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crash campaign: the packaged application ({@link PackagedApp}) serves concurrent prompts — JSON and SSE, each a tool
 * round trip against the fake model, some with an {@code Idempotency-Key} — from several client threads, and is
 * SIGKILLed at seeded random moments, then restarted on the same data dir, over and over. After the last start:
 * every acknowledged prompt has its user message and final answer in its session; every keyed prompt, retried after
 * the kill that followed it, has exactly one user message, and a retry of an acknowledged one returned the same
 * result; every session loads; the listing names exactly the session files on disk; no temp file is left.
 * {@code -Dcrash.seed=N} and {@code -Dcrash.kills=N} vary the run; the figures are printed for the record.
 */
@Tag("slow")
class CrashCampaignIT {

    private static final long SEED = Long.getLong("crash.seed", 20261102L);
    private static final int KILLS = Integer.getInteger("crash.kills", 20);
    private static final int CLIENTS = 4;
    private static final Pattern PROMPT = Pattern.compile("P-(\\d+)");
    private static final Pattern CLEANED = Pattern.compile("removed (\\d+) temp file\\(s\\) of interrupted writes");

    @Test
    void noAcknowledgedPromptIsLostAcrossRepeatedSigkills() throws Exception {
        long began = System.nanoTime();
        Path workspace = Workspaces.withHello();
        Path root = Files.createTempDirectory(workspace.getParent(), "it-crash-");
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        Random rnd = new Random(SEED);
        AtomicInteger counter = new AtomicInteger();
        List<List<String>> sessionsOfClient = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            sessionsOfClient.add(new ArrayList<>());
        }
        List<Sent> firsts = new ArrayList<>();
        Map<String, JsonNode> retried = new HashMap<>(); // prompt text → the answer to its retry
        List<Long> bootMillis = new ArrayList<>();
        int retriesSame = 0;
        int verified = 0;
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (FakeLlmServer llm = FakeLlmServer.start()) {
            List<Sent> toRetry = List.of();
            for (int cycle = 0; cycle <= KILLS; cycle++) {
                scriptModel(llm);
                long t0 = System.nanoTime();
                PackagedApp app = PackagedApp.start(data, workspace, llm, log);
                AppClient client = new AppClient(app);
                bootMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                try {
                    // retry the keyed prompts of the cycle the last kill ended: never a second turn
                    for (Sent s : toRetry) {
                        JsonNode again = CampaignClient.send(client, s);
                        assertNotNull(again, "the retry of " + s.text() + " was answered");
                        retried.put(s.text(), again);
                        if (s.acknowledged()) {
                            assertEquals(s.result(), again, "a retried key returns the first result: " + s.text());
                            retriesSame++;
                        }
                    }
                    if (cycle == KILLS) {
                        verified = verify(client, data, firsts, retried);
                        break;
                    }
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Future<List<Sent>>> running = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        Random own = new Random(SEED * 31 + cycle * 7L + c);
                        List<String> mine = sessionsOfClient.get(c);
                        running.add(clients.submit(() -> CampaignClient.run(client, workspace, mine, own,
                                counter, stop)));
                    }
                    // the kill lands when the model has taken a random number of calls, plus a random instant
                    int calls = 2 + rnd.nextInt(40);
                    assertTrue(llm.awaitRequests(calls, Duration.ofSeconds(60)), "the clients reached the model");
                    TimeUnit.MILLISECONDS.sleep(rnd.nextInt(100)); // not synchronisation: a seeded kill instant
                    stop.set(true);
                    assertEquals(137, app.kill(), "the app's java process died of SIGKILL (128 + 9)");
                    List<Sent> thisCycle = new ArrayList<>();
                    for (Future<List<Sent>> f : running) {
                        thisCycle.addAll(f.get(90, TimeUnit.SECONDS));
                    }
                    firsts.addAll(thisCycle);
                    toRetry = thisCycle.stream().filter(s -> s.key() != null).toList();
                } finally {
                    app.close();
                }
            }
        } finally {
            clients.shutdownNow();
        }
        long acked = firsts.stream().filter(Sent::acknowledged).count();
        long keyed = firsts.stream().filter(s -> s.key() != null).count();
        int cleaned = cleanedAtStart(log);
        long interrupted = retried.values().stream()
                .filter(r -> r.path("error").asText().equals(IdempotentPrompts.INTERRUPTED)).count();
        System.out.printf("CrashCampaignIT seed=%d: %d SIGKILLs (exit 137), %d starts (boot avg %d ms, max %d ms), "
                        + "%d prompts sent (%d SSE), %d acknowledged, %d verified in their session (user message + "
                        + "final answer); %d with Idempotency-Key retried after the kill: %d acknowledged before it "
                        + "(same result on retry), %d cut by the kill and answered as interrupted, %d unacknowledged "
                        + "and answered completed (recorded before the kill, or run by the retry); each keyed prompt "
                        + "once in its session; %d leftover temp files "
                        + "removed at start; %d s in all%n", SEED, KILLS, bootMillis.size(),
                bootMillis.stream().mapToLong(Long::longValue).sum() / bootMillis.size(),
                bootMillis.stream().mapToLong(Long::longValue).max().orElse(0), firsts.size(),
                firsts.stream().filter(Sent::sse).count(), acked, verified, keyed, retriesSame, interrupted,
                keyed - retriesSame - interrupted, cleaned, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
        assertTrue(KILLS >= 20 && acked > 0 && keyed > 0);
        assertEquals(acked, verified, "every acknowledged prompt was verified");
    }

    /** Each loop call answers from the request: a tool round trip, then {@code A-<n>: hello} for prompt P-n. */
    private static void scriptModel(FakeLlmServer llm) {
        new RoutedLlm(llm).always(RoutedLlm.Kind.LOOP, r -> {
            JsonNode messages = r.messages();
            String prompt = null;
            for (JsonNode m : messages) {
                if (m.path("role").asText().equals("user")) {
                    prompt = RoutedLlm.text(m);
                }
            }
            Matcher n = PROMPT.matcher(prompt == null ? "" : prompt);
            if (!n.find()) {
                return Reply.text("no prompt found");
            }
            boolean lastIsUser = messages.get(messages.size() - 1).path("role").asText().equals("user");
            return lastIsUser ? Reply.toolCall("call-" + n.group(1), "read", "{\"path\":\"a.txt\"}")
                    : Reply.text(answer(n.group(1)), "hello").chunkDelay(Duration.ofMillis(2));
        });
    }

    private static String answer(String n) {
        return "A-" + n + ": ";
    }

    /** Checks the final state; returns how many acknowledged prompts were found answered in their session. */
    private static int verify(AppClient app, Path data, List<Sent> firsts, Map<String, JsonNode> retried)
            throws Exception {
        int verified = 0;
        Path sessionsDir = data.resolve("sessions");
        Set<String> listed = CampaignClient.listing(app);
        assertEquals(sessionFiles(sessionsDir), listed, "the listing names exactly the session files on disk");
        Map<String, JsonNode> sessions = new HashMap<>();
        for (String id : listed) {
            sessions.put(id, app.session(id)); // every session loads
        }
        for (Sent s : firsts) {
            JsonNode session = sessions.get(s.sessionId());
            assertNotNull(session, "session " + s.sessionId() + " of " + s.text() + " is listed");
            List<Integer> users = userMessages(session, s.text());
            if (s.acknowledged()) {
                assertEquals("completed", s.result().get("terminal_reason").asText(), s.result().toString());
            }
            JsonNode answered = s.acknowledged() ? s.result() : retried.get(s.text());
            if (s.key() != null) {
                assertEquals(1, users.size(), "keyed prompt " + s.text() + " ran exactly once");
            } else if (s.acknowledged()) {
                assertEquals(1, users.size(), "acknowledged prompt " + s.text() + " is in its session once");
            }
            if (answered != null && answered.get("terminal_reason").asText().equals("completed")) {
                String n = s.text().substring(2);
                assertEquals(answer(n) + "hello", answered.get("text").asText());
                assertEquals(answer(n) + "hello", finalAnswerAfter(session, users.get(0)),
                        "the final answer of " + s.text() + " is in the session");
                verified += s.acknowledged() ? 1 : 0;
            }
        }
        assertEquals(List.of(), tempFiles(sessionsDir), "no temp file left after the final start");
        return verified;
    }

    private static Set<String> sessionFiles(Path dir) throws Exception {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .forEach(n -> ids.add(n.substring(0, n.length() - ".json".length())));
        }
        return ids;
    }

    private static List<String> tempFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    private static List<Integer> userMessages(JsonNode session, String text) {
        List<Integer> at = new ArrayList<>();
        JsonNode messages = session.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).get("role").asText().equals("user") && text(messages.get(i)).equals(text)) {
                at.add(i);
            }
        }
        return at;
    }

    /** The text of the first assistant message without tool calls after message {@code from}, before the next user. */
    private static String finalAnswerAfter(JsonNode session, int from) {
        JsonNode messages = session.get("messages");
        for (int i = from + 1; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.get("role").asText();
            if (role.equals("user")) {
                break;
            }
            boolean calls = false;
            for (JsonNode part : m.get("content")) {
                calls |= part.get("type").asText().equals("tool_call");
            }
            if (role.equals("assistant") && !calls) {
                return text(m);
            }
        }
        return null;
    }

    private static String text(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : message.get("content")) {
            if (part.get("type").asText().equals("text")) {
                sb.append(part.get("text").asText());
            }
        }
        return sb.toString();
    }

    private static int cleanedAtStart(Path log) throws Exception {
        int n = 0;
        Matcher m = CLEANED.matcher(Files.readString(log));
        while (m.find()) {
            n += Integer.parseInt(m.group(1));
        }
        return n;
    }
}
