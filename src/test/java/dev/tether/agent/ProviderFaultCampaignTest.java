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
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseTurns;
import dev.tether.testing.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Provider-fault campaign: several sessions prompt at once over HTTP (SSE and JSON, OpenAI and Anthropic wire) while
 * the fake model injects byte-level faults on real sockets — 429 with {@code Retry-After}, 500, a reset mid-stream, a
 * stall before and after the headers, an early end, an answer without its end marker, a non-JSON data line. Every
 * turn must end with a defined terminal reason within a bound, each session must take a clean prompt afterwards, and
 * no turn thread, exchange or connection may be left behind. The test profile's 2 s idle timeout resolves stalls.
 *
 * <p>The fault of each model request is drawn from a generator seeded with {@link #SEED}, the request's active
 * message (which names the session and prompt) and its attempt number, so a run injects the same faults whatever
 * the interleaving of the sessions. The last prompt of each session is clean.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class ProviderFaultCampaignTest {

    static final long SEED = 0x7e7e5L;
    static final int SESSIONS = 4;
    static final int PROMPTS_PER_SESSION = 5;
    static final double FAULT_RATE = 0.45;
    static final Duration PROMPT_BOUND = Duration.ofSeconds(45);
    static final Duration SETTLE = Duration.ofSeconds(20);
    static final String CAMPAIGN = "campaign";
    static final String FINAL = "final";

    enum Fault {
        RATE_LIMITED, SERVER_ERROR, RESET_MID_STREAM, STALL_BEFORE_HEADERS, STALL_AFTER_HEADERS, EARLY_END,
        NO_END_MARKER, NON_JSON_LINE
    }

    @InjectFakeLlm
    FakeLlmServer llm;

    @TestHTTPResource("/api/sessions/")
    URI sessions;

    @Inject
    MeterRegistry meters;

    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<String, Integer> injected = new ConcurrentHashMap<>();

    @Test
    void everyTurnEndsDefinedAndNothingLeaks() throws Exception {
        RoutedLlm routed = new RoutedLlm(llm);
        routed.always(RoutedLlm.Kind.LOOP, this::reply);
        Path workspace = Workspaces.withHello();
        Resources before = Resources.now(llm);

        List<Session> all = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            String model = i % 2 == 0 ? "openai/gpt-4o" : "anthropic/claude-sonnet-4-20250514";
            all.add(new Session(i, ApiSessions.create(workspace, model), (i / 2) % 2 == 0));
        }
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
        try {
            List<CompletableFuture<Void>> runs = all.stream()
                    .map(s -> CompletableFuture.runAsync(() -> runSession(s), clients)).toList();
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                    .get(PROMPT_BOUND.toSeconds() * (PROMPTS_PER_SESSION + 1), TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        boolean settled = Eventually.holds(SETTLE, () -> Resources.countBusyTurnThreads() == 0
                && llm.exchangesInFlight() == 0 && activePrompts() == 0
                && Resources.threads("fake-llm-conn-" + llm.port()) == llm.openConnections());
        Resources after = Resources.now(llm);

        Map<String, Integer> reasons = new TreeMap<>();
        long maxPromptMs = 0;
        int streamRetries = 0;
        int playBreaks = 0;
        for (Session s : all) {
            for (Outcome o : s.outcomes) {
                reasons.merge(o.reason, 1, Integer::sum);
                maxPromptMs = Math.max(maxPromptMs, o.millis);
                streamRetries += o.streamRetries;
                playBreaks += o.playBreaks;
            }
        }
        System.out.printf("provider-fault campaign (seed %d): %d sessions x %d prompts + %d clean, %d model requests, "
                        + "%d ms; faults injected %s; terminal reasons %s; SSE stream_retry %d, play_break %d; "
                        + "slowest prompt %d ms%n", SEED, SESSIONS, PROMPTS_PER_SESSION, SESSIONS, llm.requestCount(),
                elapsedMs, new TreeMap<>(injected), reasons, streamRetries, playBreaks, maxPromptMs);
        System.out.printf("resources before/after: busy turn threads %d/%d, turn threads %d/%d, fake-llm connections "
                        + "%d/%d (threads %d/%d), exchanges in flight %d/%d, active prompts %.0f%n",
                before.busyTurnThreads, after.busyTurnThreads, before.turnThreads, after.turnThreads,
                before.connections, after.connections, before.connectionThreads, after.connectionThreads,
                before.exchanges, after.exchanges, activePrompts());

        int turns = SESSIONS * (PROMPTS_PER_SESSION + 1);
        assertEquals(turns, reasons.values().stream().mapToInt(Integer::intValue).sum(), reasons.toString());
        assertTrue(List.of("completed", "error").containsAll(reasons.keySet()), "defined terminal reasons: " + reasons);
        assertEquals(Fault.values().length, injected.size(), "every kind of fault was injected: " + injected);
        assertTrue(maxPromptMs <= PROMPT_BOUND.toMillis(), "slowest prompt " + maxPromptMs + " ms");
        for (Session s : all) {
            Outcome last = s.outcomes.get(s.outcomes.size() - 1);
            assertEquals("completed", last.reason, "session " + s.id + " takes a clean prompt after the faults");
            PromptFlowTest.assertPaired(PromptFlowTest.read(given().get("/api/sessions/" + s.id).then()
                    .statusCode(200).extract().asString()).get("messages"));
        }
        assertTrue(settled, "turn threads, exchanges and connections settle: " + after);
        assertTrue(after.connections <= before.connections + 2 * SESSIONS,
                "pooled connections stay bounded: " + before + " -> " + after);
    }

    private void runSession(Session s) {
        for (int p = 0; p <= PROMPTS_PER_SESSION; p++) {
            String message = (p < PROMPTS_PER_SESSION ? CAMPAIGN : FINAL) + " s" + s.index + " p" + p;
            long t0 = System.nanoTime();
            Outcome outcome = s.sse ? promptSse(s.id, message) : promptJson(s.id, message);
            outcome.millis = (System.nanoTime() - t0) / 1_000_000;
            s.outcomes.add(outcome);
        }
    }

    private Outcome promptSse(String id, String message) {
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", message));
        JsonNode terminal = events.get(events.size() - 1);
        Outcome o = new Outcome(terminal.path("result").path("terminal_reason").asText("<none>"));
        o.streamRetries = SseTurns.ofType(events, "stream_retry").size();
        o.playBreaks = SseTurns.ofType(events, "play_break").size();
        return o;
    }

    private static Outcome promptJson(String id, String message) {
        Response r = given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("message", message))
                .post("/api/sessions/" + id + "/prompt");
        assertEquals(200, r.statusCode(), r.asString());
        return new Outcome(PromptFlowTest.read(r.asString()).path("terminal_reason").asText("<none>"));
    }

    /** The reply to one loop request: a seeded fault, or a clean answer (a tool round trip first, now and then). */
    private Reply reply(RecordedRequest request) {
        String active = request.lastMessageText();
        String key = active + "#" + request.messages().size();
        int attempt = attempts.merge(key, 1, Integer::sum) - 1;
        Random random = new Random(SEED ^ (31L * key.hashCode() + attempt));
        if (active.startsWith(FINAL)) {
            return Reply.text("Still ", "here.");
        }
        if (random.nextDouble() < FAULT_RATE) {
            Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
            injected.merge(fault.name().toLowerCase(), 1, Integer::sum);
            return fault(fault);
        }
        if (active.startsWith(CAMPAIGN) && random.nextBoolean()) {
            return Reply.text("Listing.").toolCall("call_" + Math.abs(key.hashCode()) + "_" + attempt, "list", "{}");
        }
        return Reply.text("All ", "done.").usage(40, 3);
    }

    private static Reply fault(Fault fault) {
        return switch (fault) {
            case RATE_LIMITED -> Reply.error(429, "rate_limit_error", "slow down").retryAfter("1");
            case SERVER_ERROR -> Reply.error(500, "server_error", "boom");
            case RESET_MID_STREAM -> Reply.text("par", "tial", " answer").resetAfter(1);
            case STALL_BEFORE_HEADERS -> Reply.hang();
            case STALL_AFTER_HEADERS -> Reply.text("never").stallAfter(0);
            case EARLY_END -> Reply.text("par", "tial").endEarlyAfter(1);
            case NO_END_MARKER -> Reply.text("Answer without ", "its end marker.").usage(40, 5).endEarlyAfter(99);
            case NON_JSON_LINE -> Reply.text("a", "b").nonJsonAfter(1);
        };
    }

    private double activePrompts() {
        return meters.get("tether.prompts.active").gauge().value();
    }

    private record Session(int index, String id, boolean sse, List<Outcome> outcomes) {
        Session(int index, String id, boolean sse) {
            this(index, id, sse, new ArrayList<>());
        }
    }

    private static final class Outcome {
        final String reason;
        long millis;
        int streamRetries;
        int playBreaks;

        Outcome(String reason) {
            this.reason = reason;
        }
    }

    /** Live threads by name and open connections of the fake model. */
    private record Resources(long busyTurnThreads, long turnThreads, int connections, long connectionThreads,
                             int exchanges) {

        static Resources now(FakeLlmServer llm) {
            return new Resources(countBusyTurnThreads(), threads("tether-turn"), llm.openConnections(),
                    threads("fake-llm-conn-" + llm.port()), llm.exchangesInFlight());
        }

        static long threads(String name) {
            return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).count();
        }

        /** Turn threads running a turn, not idle in their pool. */
        static long countBusyTurnThreads() {
            return Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().equals("tether-turn"))
                    .filter(e -> Arrays.stream(e.getValue()).noneMatch(f -> f.getMethodName().equals("getTask")))
                    .count();
        }
    }
}
