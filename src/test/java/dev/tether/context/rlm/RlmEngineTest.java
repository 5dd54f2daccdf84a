package dev.tether.context.rlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.Json;
import dev.tether.context.AuxiliaryCaller;
import dev.tether.context.ContextWindows;
import dev.tether.context.RecordingEmitter;
import dev.tether.context.RlmEngine;
import dev.tether.context.RlmOutcome;
import dev.tether.context.RlmResult;
import dev.tether.context.ScriptedProvider;
import dev.tether.context.ScriptedResolver;
import dev.tether.context.TokenEstimator;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.FinishReason;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.RlmConfig;
import dev.tether.session.Role;
import dev.tether.session.Usage;
import dev.tether.tool.Utf8;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RlmEngineTest {

    static final String MODEL = "openai/gpt-4o";
    static final String TOOL = "bulk_logs";

    private final ContextWindows windows = new ContextWindows(Map.of(), 8192);
    private final AuxiliaryCaller caller = new AuxiliaryCaller(windows);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Function<CompletionRequest, CompletionResponse> script;
    private final ScriptedProvider openai = new ScriptedProvider("openai", r -> script.apply(r));
    private final RlmEngine engine = new RlmService(new ScriptedResolver(openai), windows, caller, registry);
    private final RecordingEmitter events = new RecordingEmitter();
    private final List<Usage> usages = new ArrayList<>();

    @AfterEach
    void close() {
        caller.close();
    }

    /** ≈60,000 tokens of log lines with three timeout errors. */
    static String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4300; i++) {
            if (i == 1000 || i == 2000 || i == 3000) {
                sb.append("2026-11-02 10:00:00 ERROR request ").append(i).append(" failed: timeout after 30 s\n");
            } else {
                sb.append("2026-11-02 10:00:00 INFO request ").append(i).append(" handled in 12 ms by worker\n");
            }
        }
        return sb.toString();
    }

    private long rootCalls() {
        return openai.requests.stream().filter(r -> !r.tools().isEmpty()).count();
    }

    private RlmEngine.RouteRequest route(String output, RlmConfig rlm, Cancellation cancellation) {
        return new RlmEngine.RouteRequest(TOOL, output, "Why do the requests time out?", MODEL, rlm, events,
                cancellation, usages::add);
    }

    @Test
    void routingRules() {
        String out = logs();
        long tokens = TokenEstimator.estimate(out);
        assertTrue(tokens > 0.35 * 128_000 && tokens < 80_000, "≈60,000 tokens: " + tokens);
        assertTrue(engine.shouldRoute(RlmConfig.DEFAULT, true, out, MODEL, 1000));
        assertFalse(engine.shouldRoute(RlmConfig.DEFAULT, false, out, MODEL, 1000), "exact tools (read) are never routed");
        RlmConfig off = new RlmConfig(RlmConfig.Mode.OFF, 0.35, 15, 50, null, null);
        assertFalse(engine.shouldRoute(off, true, out, MODEL, 1000));
        RlmConfig always = new RlmConfig(RlmConfig.Mode.ALWAYS, 0.35, 15, 50, null, null);
        assertTrue(engine.shouldRoute(always, true, "tiny", MODEL, 0));
        assertFalse(engine.shouldRoute(RlmConfig.DEFAULT, true, "tiny", MODEL, 0));
        // would overflow: 30,000 (under the 44,800 threshold) on top of 75,000 → > 80 % of the window, but not half
        String mid = "a".repeat(84_000); // 30,000 tokens
        assertFalse(engine.shouldRoute(RlmConfig.DEFAULT, true, mid, MODEL, 75_000));
        assertTrue(engine.shouldRoute(RlmConfig.DEFAULT, true, mid, MODEL, 30_000) == (60_000 > 0.8 * 128_000));
        String big = "a".repeat(112_000); // 40,000 tokens, under the threshold
        assertTrue(engine.shouldRoute(RlmConfig.DEFAULT, true, big, MODEL, 40_000) == false);
        assertTrue(engine.shouldRoute(new RlmConfig(RlmConfig.Mode.AUTO, 1.0, 15, 50, null, null), true,
                "a".repeat(168_000), MODEL, 50_000), "60,000 + 50,000 > 102,400 and 60,000 ≥ 55,000");
    }

    @Test
    void scenario34ConvergesAtIterationTwo() {
        script = r -> rootCalls() == 1 ? ScriptedProvider.toolCall("g1", "rlm_grep", "{\"pattern\":\"ERROR\"}")
                : ScriptedProvider.text("I counted them. FINAL(\"3 errors, all timeouts\")");
        String out = logs();
        RlmEngine.RoutedOutput routed = engine.route(route(out, RlmConfig.DEFAULT, new Cancellation()));
        RlmResult r = routed.result();
        assertEquals(RlmOutcome.CONVERGED, r.outcome());
        assertEquals(2, r.iterations());
        assertEquals("3 errors, all timeouts", r.answer());
        assertEquals("[RLM summary of bulk_logs output: " + TokenEstimator.estimate(out) + " → "
                + TokenEstimator.estimate("3 errors, all timeouts") + " tokens, 2 iterations, 0 sub-calls]\n"
                + "3 errors, all timeouts", routed.body());

        SessionEvent.RlmComplete complete = events.of(SessionEvent.RlmComplete.class).get(0);
        assertEquals("converged", complete.outcome());
        assertEquals(2, complete.iterations());
        assertNull(complete.subcallModelUsed());
        assertNull(complete.reason());
        assertEquals(MODEL, complete.rootModel());
        assertEquals(List.of("started", "iterating", "iterating", "finalizing"),
                events.of(SessionEvent.RlmProgress.class).stream().map(SessionEvent.RlmProgress::status).toList());
        assertEquals(List.of("rlm_progress", "rlm_progress", "token_estimate", "token_usage", "rlm_progress",
                "token_estimate", "token_usage", "rlm_progress", "rlm_complete"), events.types());
        assertTrue(events.of(SessionEvent.TokenUsage.class).stream().allMatch(u -> u.source() == TokenSource.RLM_ITERATION
                && u.model().equals(MODEL)));
        assertEquals(2, usages.size());
        assertEquals(Usage.of(200, 20, null, null), r.usage());

        // the first request: the preview, the query, the tools, temperature 0.2
        CompletionRequest first = openai.requests.get(0);
        assertEquals(0.2, first.temperature());
        assertEquals(List.of("rlm_lines", "rlm_grep", "rlm_subcall", "FINAL"),
                first.tools().stream().map(t -> t.name()).toList());
        String prompt = first.messages().get(0).text();
        assertTrue(prompt.contains("Content type: logs"));
        assertTrue(prompt.contains("4301 lines"));
        assertTrue(prompt.contains("Why do the requests time out?"));
        assertTrue(prompt.contains("1: 2026-11-02 10:00:00 INFO request 0 handled"));
        assertTrue(prompt.contains("4299: 2026-11-02 10:00:00 INFO request 4298"));
        assertFalse(prompt.contains("request 100 handled"));
        assertTrue(prompt.contains("FINAL(\"<answer>\")"));
        // the second request carries the grep result
        List<Message> second = openai.requests.get(1).messages();
        ContentPart.ToolResult grep = (ContentPart.ToolResult) second.get(2).content().get(0);
        assertEquals("g1", grep.toolCallId());
        assertTrue(grep.content().startsWith("1001: 2026-11-02 10:00:00 ERROR request 1000 failed"));
        assertEquals(3, grep.content().lines().count());
        assertEquals(1.0, registry.get("tether.rlm.runs").tag("outcome", "converged").counter().count());
    }

    @Test
    void scenario35SubcallFallbackAndExhaustion() {
        script = r -> r.tools().isEmpty() ? ScriptedProvider.text("lines 1-100 are fine")
                : ScriptedProvider.toolCall("s" + rootCalls(), "rlm_subcall",
                "{\"question\":\"what failed?\",\"start\":1,\"end\":100}");
        RlmConfig rlm = new RlmConfig(RlmConfig.Mode.AUTO, 0.35, 15, 50, null, "nosuch/x");
        String out = logs();
        RlmEngine.RoutedOutput routed = engine.route(route(out, rlm, new Cancellation()));
        RlmResult r = routed.result();
        assertEquals(RlmOutcome.EXHAUSTED, r.outcome());
        assertEquals(15, r.iterations());
        assertEquals(15, r.subcalls());
        assertEquals("no final answer after 15 iterations", r.reason());
        List<SessionEvent.RlmSubcallFallback> fallbacks = events.of(SessionEvent.RlmSubcallFallback.class);
        assertEquals(1, fallbacks.size());
        assertEquals("nosuch/x", fallbacks.get(0).requestedModel());
        assertEquals(MODEL, fallbacks.get(0).fallbackModel());
        assertEquals("Unknown provider: nosuch", fallbacks.get(0).reason());
        // emitted once, before the first sub-call's request
        int fallbackAt = events.types().indexOf("rlm_subcall_fallback");
        int firstSubcall = -1;
        for (int i = 0; i < events.events.size() && firstSubcall < 0; i++) {
            if (events.events.get(i) instanceof SessionEvent.TokenEstimate t && t.source() == TokenSource.RLM_SUBCALL) {
                firstSubcall = i;
            }
        }
        assertTrue(fallbackAt >= 0 && firstSubcall >= 0, events.types().toString());
        assertTrue(fallbackAt < firstSubcall, "fallback at " + fallbackAt + ", first sub-call estimate at " + firstSubcall);
        assertEquals(fallbackAt, events.types().lastIndexOf("rlm_subcall_fallback"), "reported once");
        SessionEvent.RlmComplete complete = events.of(SessionEvent.RlmComplete.class).get(0);
        assertEquals("exhausted", complete.outcome());
        assertEquals(MODEL, complete.subcallModelUsed());
        assertEquals(15, events.of(SessionEvent.TokenUsage.class).stream().filter(u -> u.source() == TokenSource.RLM_SUBCALL)
                .count());
        assertEquals(30, usages.size());

        // smart truncation: head 60 % / marker / tail 30 % of 4096 bytes, at line boundaries
        String body = routed.body();
        assertTrue(Utf8.bytes(body) <= 4096);
        int marker = body.indexOf("[… middle of bulk_logs output omitted: kept ");
        String head = body.substring(0, marker);
        String tail = body.substring(body.indexOf("…]\n", marker) + 3);
        assertTrue(out.startsWith(head));
        assertTrue(head.endsWith("\n"));
        assertTrue(Utf8.bytes(head) <= 2457 && Utf8.bytes(head) > 2300);
        assertTrue(out.endsWith(tail));
        assertTrue(tail.startsWith("2026-11-02"));
        assertTrue(Utf8.bytes(tail) <= 1228 && Utf8.bytes(tail) > 1100);
        assertTrue(body.contains("kept " + (Utf8.bytes(head) + Utf8.bytes(tail)) + " of " + Utf8.bytes(out) + " bytes …]"));

        // the sub-call request: the question and the slice, no tools
        CompletionRequest sub = openai.requests.stream().filter(q -> q.tools().isEmpty()).findFirst().orElseThrow();
        assertTrue(sub.messages().get(0).text().contains("Question: what failed?"));
        assertTrue(sub.messages().get(0).text().contains("Content (lines 1–100):\n2026-11-02 10:00:00 INFO request 0"));
    }

    @Test
    void subcallBudgetIsEnforced() {
        script = r -> {
            if (r.tools().isEmpty()) {
                return ScriptedProvider.text("answer");
            }
            if (rootCalls() == 1) {
                return new CompletionResponse(Message.of(Role.ASSISTANT,
                        new ContentPart.ToolCall("a", "rlm_subcall", "{\"question\":\"q\",\"start\":1,\"end\":2}"),
                        new ContentPart.ToolCall("b", "rlm_subcall", "{\"question\":\"q\",\"start\":1,\"end\":2}")),
                        null, FinishReason.TOOL_CALLS);
            }
            return ScriptedProvider.toolCall("f", "FINAL", "{\"answer\":\"done\"}");
        };
        RlmResult r = engine.run(new RlmEngine.RlmRequest("t1", "one\ntwo\nthree", "q", TOOL, MODEL, null, 15, 1,
                events, new Cancellation(), usages::add));
        assertEquals(RlmOutcome.CONVERGED, r.outcome());
        assertEquals("done", r.answer());
        assertEquals(1, r.subcalls());
        List<Message> second = openai.requests.get(2).messages();
        assertEquals("answer", ((ContentPart.ToolResult) second.get(2).content().get(0)).content());
        assertEquals(Subcalls.BUDGET_EXHAUSTED, ((ContentPart.ToolResult) second.get(3).content().get(0)).content());
        // a response without usage is counted with estimates
        assertTrue(usages.get(0).promptTokens() > 0);
    }

    @Test
    void longPlainTextIsAcceptedFromIterationThree() {
        String longText = "The requests time out because the pool is exhausted. ".repeat(12);
        script = r -> ScriptedProvider.text(longText);
        RlmResult r = engine.run(new RlmEngine.RlmRequest("t1", "content", "q", TOOL, MODEL, null, 15, 50, events,
                new Cancellation(), usages::add));
        assertEquals(RlmOutcome.CONVERGED, r.outcome());
        assertEquals(3, r.iterations());
        assertEquals(longText, r.answer());
        List<Message> third = openai.requests.get(2).messages();
        assertEquals(IterativeLoop.CONTINUE, third.get(third.size() - 1).text());
        assertEquals(5, third.size());
    }

    @Test
    void fencedCodeIsNotAcceptedAndTheRunExhausts() {
        script = r -> ScriptedProvider.text("```\n" + "code line\n".repeat(100) + "```");
        RlmResult r = engine.run(new RlmEngine.RlmRequest("t1", "content", "q", TOOL, MODEL, null, 4, 50, events,
                new Cancellation(), usages::add));
        assertEquals(RlmOutcome.EXHAUSTED, r.outcome());
        assertEquals(4, r.iterations());
        assertNull(r.answer());
    }

    @Test
    void rootModelErrorFailsTheRunAndFallsBackToSmartTruncation() {
        script = r -> {
            throw ScriptedProvider.unavailable();
        };
        String out = logs();
        RlmEngine.RoutedOutput routed = engine.route(route(out, RlmConfig.DEFAULT, new Cancellation()));
        assertEquals(RlmOutcome.FAILED, routed.result().outcome());
        assertEquals(1, routed.result().iterations());
        assertEquals("root model error: provider returned 503", routed.result().reason());
        assertEquals(SmartTruncation.apply(out, TOOL), routed.body());
        assertTrue(events.of(SessionEvent.TokenUsage.class).isEmpty());
        assertEquals(1, events.of(SessionEvent.TokenEstimate.class).size());
        assertEquals("failed", events.of(SessionEvent.RlmComplete.class).get(0).outcome());
    }

    @Test
    void unknownRootModelFailsWithoutCalls() {
        RlmConfig rlm = new RlmConfig(RlmConfig.Mode.AUTO, 0.35, 15, 50, "nosuch/root", null);
        RlmEngine.RoutedOutput routed = engine.route(route(logs(), rlm, new Cancellation()));
        assertEquals(RlmOutcome.FAILED, routed.result().outcome());
        assertEquals(0, routed.result().iterations());
        assertTrue(openai.requests.isEmpty());
    }

    @Test
    void cancellationAbortsTheRunImmediately() {
        Cancellation cancellation = new Cancellation();
        script = r -> {
            cancellation.cancel();
            return ScriptedProvider.text("too late");
        };
        String out = logs();
        RlmEngine.RoutedOutput routed = engine.route(route(out, RlmConfig.DEFAULT, cancellation));
        assertEquals(RlmOutcome.ABORTED, routed.result().outcome());
        assertEquals(out, routed.body(), "an aborted run leaves the real output");
        assertEquals("aborted", events.of(SessionEvent.RlmComplete.class).get(0).outcome());
        assertTrue(events.of(SessionEvent.TokenUsage.class).isEmpty());
        assertEquals(1, openai.requests.size());
    }

    @Test
    void finalAnswerDetection() {
        assertEquals("a \"quoted\" answer", FinalAnswer.inText("x FINAL(\"a \\\"quoted\\\" answer\") y").orElseThrow());
        assertEquals("it's done", FinalAnswer.inText("FINAL('it\\'s done')").orElseThrow());
        assertEquals("multi\nline", FinalAnswer.inText("Done.\nFINAL(`multi\nline`)").orElseThrow());
        assertEquals("spaced", FinalAnswer.inText("FINAL( \"spaced\" )").orElseThrow());
        assertTrue(FinalAnswer.inText("FINAL(answer)").isEmpty());
        assertTrue(FinalAnswer.inText("no final here").isEmpty());
        assertEquals("x", FinalAnswer.of(Json.mapper(), Message.of(Role.ASSISTANT, new ContentPart.Text("FINAL(\"y\")"),
                new ContentPart.ToolCall("f", "FINAL", "{\"answer\":\"x\"}"))).orElseThrow());
        assertEquals("raw", FinalAnswer.of(Json.mapper(), Message.of(Role.ASSISTANT, new ContentPart.ToolCall("f", "FINAL", "raw")))
                .orElseThrow());
        assertEquals("the summary", FinalAnswer.unwrap("  FINAL(\"the summary\")\n"));
        assertEquals("plain", FinalAnswer.unwrap("plain"));
    }

    @Test
    void lineAndGrepTools() {
        String[] lines = new String[1000];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "row " + i;
        }
        String out = RlmTools.lines(lines, 10, 900);
        assertTrue(out.startsWith("10: row 9\n"));
        assertTrue(out.endsWith("409: row 408\n"), "at most 400 lines");
        assertEquals("No matches", RlmTools.grep(lines, "nothing", 10));
        assertEquals(200, RlmTools.grep(lines, "row", 500).lines().count());
        assertEquals("2: row 1\n", RlmTools.grep(lines, "row 1$", 5));
        assertTrue(RlmTools.grep(lines, "row [", 5).startsWith("No matches"), "invalid regex falls back to literal");
        String[] wide = {"w".repeat(20_000), "v".repeat(20_000)};
        assertTrue(RlmTools.lines(wide, 1, 2).contains("cut at 32 KiB; continue from line 2"));
    }

    @Test
    void smartTruncationKeepsSmallOutputs() {
        assertEquals("small", SmartTruncation.apply("small", TOOL));
    }
}
