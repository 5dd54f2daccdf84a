package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.context.rlm.RlmService;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.ContextPolicy;
import dev.tether.session.Message;
import dev.tether.session.RlmConfig;
import dev.tether.session.Role;
import dev.tether.session.SessionMetadata;
import dev.tether.session.Usage;
import dev.tether.tool.Utf8;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextManagerTest {

    static final String MODEL = "openai/gpt-4o";
    static final String SUMMARY = "Goal: fix the parser. State: tests fail on New Year. Next: patch the pattern.";

    private final ContextWindows windows = new ContextWindows(Map.of(), 8192);
    private final AuxiliaryCaller caller = new AuxiliaryCaller(windows);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Function<dev.tether.provider.CompletionRequest, dev.tether.provider.CompletionResponse> script =
            r -> ScriptedProvider.text(SUMMARY);
    private final ScriptedProvider openai = new ScriptedProvider("openai", r -> script.apply(r));
    private final ContextManager manager = new ContextManager(windows,
            new RlmService(new ScriptedResolver(openai), windows, caller, registry), registry);
    private final RecordingEmitter events = new RecordingEmitter();
    private final List<Usage> usages = new ArrayList<>();

    @AfterEach
    void close() {
        caller.close();
    }

    /** A distinct plain text of about {@code tokens} tokens (k = 3.6). */
    static String text(int id, int tokens) {
        StringBuilder sb = new StringBuilder();
        int j = 0;
        while (sb.length() < tokens * 3.6) {
            sb.append("m").append(id).append("w").append(j++).append(' ');
        }
        return sb.toString().strip();
    }

    /** Scenario 30: ≈130,000 tokens, the active request 5 messages from the end. */
    static List<Message> scenario30() {
        List<Message> t = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            t.add(i % 2 == 0 ? Message.userText("Request " + i + ": " + text(i, 3500)) : Message.assistantText(text(i, 3500)));
        }
        t.add(Message.userText("Please fix the failing date parser test"));
        t.add(Message.of(Role.ASSISTANT, new ContentPart.Text("Reading."),
                new ContentPart.ToolCall("call_1", "read", "{\"path\":\"a.txt\"}")));
        t.add(Message.toolResult("call_1", "Tool call feedback\n- tool: read\n- status: success\n\nOutput:\n     1\thello"));
        t.add(Message.assistantText("The file says hello."));
        t.add(Message.userText("continue"));
        return List.copyOf(t);
    }

    private DeriveRequest request(List<Message> transcript, SessionMetadata metadata) {
        return new DeriveRequest("s1", transcript, "You are a coding agent.", List.of(), MODEL, metadata, false,
                CompactionReason.CONTEXT_BUDGET, events, new Cancellation(), usages::add);
    }

    private DeriveRequest request(List<Message> transcript) {
        return request(transcript, SessionMetadata.DEFAULT);
    }

    @Test
    void aSmallContextIsSentAsIsWithoutEvents() {
        List<Message> t = List.of(Message.userText("hello"));
        DerivedContext d = manager.derive(request(t));
        assertEquals(t, d.messages());
        assertEquals(105_984, d.budget());
        assertEquals(TokenEstimator.estimateRequest("You are a coding agent.", t, List.of()), d.requestTokens());
        assertNull(d.compaction());
        assertTrue(events.events.isEmpty());
    }

    @Test
    void scenario30ModelSummaryReplacesThePrefix() {
        List<Message> t = scenario30();
        List<Message> copy = List.copyOf(t);
        assertTrue(TokenEstimator.estimateMessages(t) > 125_000);
        DerivedContext d = manager.derive(request(t));

        assertEquals(List.of("compaction_started", "compaction_completed"), events.compactionTypes());
        SessionEvent.CompactionStarted started = events.of(SessionEvent.CompactionStarted.class).get(0);
        assertEquals("context_budget", started.reason());
        assertEquals(105_984, started.budget());
        SessionEvent.CompactionCompleted completed = events.of(SessionEvent.CompactionCompleted.class).get(0);
        assertEquals("rlm", completed.strategy());
        assertEquals(started.traceId(), completed.traceId());
        assertEquals(d.messages().size(), completed.keptMessages());
        assertEquals(d.requestTokens(), completed.afterTokens());
        assertTrue(d.requestTokens() <= d.budget());

        Message first = d.messages().get(0);
        assertEquals(Role.USER, first.role());
        assertTrue(first.text().startsWith("[CONTEXT SUMMARY]\nMessages 0–24 of this session were condensed"), first.text());
        assertTrue(first.text().contains(SUMMARY));
        assertTrue(first.text().contains("[DROPPED USER TURNS]\n- #0: Request 0: m0w0"));
        assertTrue(first.text().contains("- … and 3 more"));
        // keep-last 16: the active request (index 36) and everything after it verbatim
        assertEquals(t.subList(25, t.size()), d.messages().subList(1, d.messages().size()));
        assertEquals(copy, t, "the stored transcript is unchanged");

        // the summary run: RLM events with the compaction's trace id, token events of source rlm_iteration
        SessionEvent.RlmComplete rlm = events.of(SessionEvent.RlmComplete.class).get(0);
        assertEquals("converged", rlm.outcome());
        assertEquals(started.traceId(), rlm.traceId());
        assertEquals(MODEL, rlm.rootModel());
        SessionEvent.TokenEstimate estimate = events.of(SessionEvent.TokenEstimate.class).get(0);
        assertEquals(TokenSource.RLM_ITERATION, estimate.source());
        assertEquals(MODEL, estimate.model());
        assertEquals(105_984, estimate.budget());
        assertEquals(TokenSource.RLM_ITERATION, events.of(SessionEvent.TokenUsage.class).get(0).source());
        assertEquals(List.of(Usage.of(100, 10, null, null)), usages);
        assertEquals(Usage.of(100, 10, null, null), d.usage());

        // the summary request: no tools, max_tokens 4096, flattened messages
        assertEquals(1, openai.requests.size());
        var req = openai.requests.get(0);
        assertEquals("gpt-4o", req.model());
        assertTrue(req.tools().isEmpty());
        assertEquals(4096, req.maxTokens());
        // 25 messages of ≈3,500 tokens exceed the 40,000-token summary input: chunk-compressed, newest kept
        String input = req.messages().get(1).text();
        assertTrue(input.contains("=== message 24 (user) ===\nRequest 24:"));
        assertTrue(input.contains("chunks omitted"));
        assertTrue(TokenEstimator.estimate(input) <= 40_100);
        assertTrue(registry.get("tether.compactions").tag("strategy", "rlm").tag("reason", "context_budget").counter()
                .count() == 1);
    }

    @Test
    void scenario31FailedSummaryFallsBackToChunkCompression() {
        script = r -> {
            throw ScriptedProvider.unavailable();
        };
        DerivedContext d = manager.derive(request(scenario30()));
        assertEquals(List.of("compaction_started", "compaction_failed", "compaction_completed"), events.compactionTypes());
        SessionEvent.CompactionFailed failed = events.of(SessionEvent.CompactionFailed.class).get(0);
        assertEquals("chunk_compress", failed.fellBackTo());
        assertTrue(failed.reason().startsWith("summary failed: "), failed.reason());
        assertTrue(failed.reason().contains("503"));
        assertEquals(105_984, failed.budget());
        assertEquals("chunk_compress", events.of(SessionEvent.CompactionCompleted.class).get(0).strategy());
        assertEquals("failed", events.of(SessionEvent.RlmComplete.class).get(0).outcome());
        assertEquals(1, openai.requests.size(), "no summary call after the first failure");
        assertTrue(d.messages().get(0).text().startsWith("[CONTEXT SUMMARY]"));
        assertTrue(d.requestTokens() <= d.budget());
        assertTrue(events.of(SessionEvent.TokenUsage.class).isEmpty(), "failed calls emit no token_usage");
        assertEquals(CompactionStrategy.CHUNK_COMPRESS, d.compaction().strategy());
    }

    @Test
    void scenario32CachedSummaryIsReusedWithoutEventsOrCalls() {
        List<Message> t = new ArrayList<>(scenario30());
        DerivedContext first = manager.derive(request(t));
        int calls = openai.requests.size();
        events.events.clear();

        t.add(Message.of(Role.ASSISTANT, new ContentPart.ToolCall("call_2", "list", "{}")));
        t.add(Message.toolResult("call_2", "a.txt"));
        DerivedContext second = manager.derive(request(t));
        assertTrue(events.events.isEmpty(), events.types().toString());
        assertEquals(calls, openai.requests.size());
        assertTrue(second.fromCache());
        assertNull(second.compaction());
        assertEquals(first.messages().get(0), second.messages().get(0));
        assertEquals(t.subList(25, t.size()), second.messages().subList(1, second.messages().size()));
    }

    @Test
    void cacheIsInvalidatedByModelBudgetAndHook() {
        List<Message> t = scenario30();
        manager.derive(request(t));
        assertTrue(manager.hasCachedCompaction("s1"));
        manager.invalidate("s1");
        events.events.clear();
        manager.derive(request(t));
        assertEquals(List.of("compaction_started", "compaction_completed"), events.compactionTypes());

        events.events.clear(); // another budget: a new compaction
        manager.derive(request(t, new SessionMetadata(null, null, false, false, null,
                new ContextPolicy(ContextPolicy.Policy.AUTO, 90_000))));
        assertEquals(List.of("compaction_started", "compaction_completed"), events.compactionTypes());

        events.events.clear(); // another model: the cache made for gpt-4o is not used for a 1M-window model
        DerivedContext other = manager.derive(new DeriveRequest("s1", t, "sys", List.of(), "openai/gpt-4.1", null,
                false, null, events, null, null));
        assertTrue(events.events.isEmpty());
        assertFalse(other.fromCache());
        assertEquals(t, other.messages());
        manager.forget("s1");
        assertFalse(manager.hasCachedCompaction("s1"));
    }

    @Test
    void rlmModeOffUsesChunkCompressionWithoutModelCalls() {
        SessionMetadata off = new SessionMetadata(null, null, false, false,
                new RlmConfig(RlmConfig.Mode.OFF, 0.35, 15, 50, null, null), null);
        DerivedContext d = manager.derive(request(scenario30(), off));
        assertEquals(List.of("compaction_started", "compaction_completed"), events.compactionTypes());
        assertEquals("chunk_compress", events.of(SessionEvent.CompactionCompleted.class).get(0).strategy());
        assertTrue(openai.requests.isEmpty());
        assertTrue(d.messages().get(0).text().contains("chunks omitted"));
    }

    @Test
    void rootModelIsUsedForSummaries() {
        ScriptedProvider anthropic = new ScriptedProvider("anthropic", r -> ScriptedProvider.text("claude summary"));
        ContextManager m = new ContextManager(windows, new RlmService(new ScriptedResolver(openai, anthropic), windows,
                caller, registry), registry);
        SessionMetadata md = new SessionMetadata(null, null, false, false,
                new RlmConfig(RlmConfig.Mode.AUTO, 0.35, 15, 50, "anthropic/claude-x", null), null);
        DerivedContext d = m.derive(request(scenario30(), md));
        assertTrue(d.messages().get(0).text().contains("claude summary"));
        assertEquals(1, anthropic.requests.size());
        assertTrue(openai.requests.isEmpty());
        assertEquals(170_784, events.of(SessionEvent.TokenEstimate.class).get(0).budget());
        assertEquals("anthropic/claude-x", events.of(SessionEvent.TokenEstimate.class).get(0).model());
    }

    @Test
    void policyOffSendsEverythingWithoutCompaction() {
        SessionMetadata off = new SessionMetadata(null, null, false, false, null,
                new ContextPolicy(ContextPolicy.Policy.OFF, 0));
        DerivedContext d = manager.derive(request(scenario30(), off));
        assertTrue(events.events.isEmpty());
        assertTrue(d.overBudget());
        assertEquals(scenario30(), d.messages());
    }

    @Test
    void forcedKeepLastForThePromptTooLongPlan() {
        List<Message> t = scenario30();
        DeriveRequest req = request(t).withReason(CompactionReason.PROMPT_TOO_LONG);
        DerivedContext six = manager.forceCompaction(req, 6);
        assertEquals(List.of("compaction_started", "compaction_completed"), events.compactionTypes());
        assertEquals("prompt_too_long", events.of(SessionEvent.CompactionStarted.class).get(0).reason());
        assertEquals(t.subList(t.size() - 6, t.size()), six.messages().subList(1, 7));
        assertEquals(7, six.messages().size());

        DerivedContext three = manager.forceCompaction(req, 3);
        // the active request is 5 from the end: keep-last 3 still keeps it
        assertEquals(t.subList(t.size() - 5, t.size()), three.messages().subList(1, 6));
        DerivedContext one = manager.forceCompaction(req, 1);
        assertEquals(three.messages().subList(1, 6), one.messages().subList(1, 6));
        assertEquals(3, events.of(SessionEvent.CompactionStarted.class).size());
        assertTrue(events.of(SessionEvent.CompactionStarted.class).stream().allMatch(e -> e.reason().equals("prompt_too_long")));

        // cached like any other compaction: the next derive reuses the keep-last-1 summary without events
        events.events.clear();
        DerivedContext next = manager.derive(request(t));
        assertTrue(next.fromCache());
        assertTrue(events.events.isEmpty());
    }

    @Test
    void halvedBudgetIsUsedAndReported() {
        List<Message> t = new ArrayList<>();
        t.add(Message.userText("start"));
        for (int i = 0; i < 18; i++) {
            t.add(i % 2 == 0 ? Message.assistantText(text(i, 3500)) : Message.userText(text(i, 3500)));
        }
        DeriveRequest full = request(t);
        assertNull(manager.derive(full).compaction(), "≈63,000 tokens fit 105,984");
        DeriveRequest halved = new DeriveRequest("s1", t, "sys", List.of(), MODEL, null, true,
                CompactionReason.PROMPT_TOO_LONG, events, null, null);
        DerivedContext d = manager.derive(halved);
        assertEquals(52_992, d.budget());
        assertEquals("prompt_too_long", events.of(SessionEvent.CompactionStarted.class).get(0).reason());
        assertEquals(52_992, events.of(SessionEvent.CompactionStarted.class).get(0).budget());
        assertTrue(d.requestTokens() <= 52_992);
    }

    @Test
    void forcedCompactionWithNothingBeforeTheTailDoesNothing() {
        List<Message> t = List.of(Message.userText("Fix it"), Message.assistantText("ok"));
        DerivedContext d = manager.forceCompaction(request(t), 6);
        assertNull(d.compaction());
        assertEquals(t, d.messages());
        assertTrue(events.events.isEmpty());
    }

    @Test
    void manualCompactionAndItsDryRun() {
        List<Message> t = scenario30();
        CompactionPreview preview = manager.previewCompaction(DeriveRequest.readOnly("s1", t, "sys", List.of(), MODEL, null));
        assertTrue(preview.wouldCompact());
        assertEquals(25, preview.splitIndex());
        assertEquals(17, preview.keptMessages());
        assertEquals(CompactionStrategy.RLM, preview.strategy());
        assertTrue(preview.estimatedAfterTokens() < preview.beforeTokens());
        assertTrue(openai.requests.isEmpty());
        assertFalse(manager.hasCachedCompaction("s1"));

        DerivedContext d = manager.compactNow(request(t));
        assertEquals("manual", events.of(SessionEvent.CompactionStarted.class).get(0).reason());
        assertEquals(17, d.messages().size());
        assertTrue(manager.hasCachedCompaction("s1"));
    }

    @Test
    void estimateReportsWithoutSideEffects() {
        List<Message> t = scenario30();
        ContextEstimate e = manager.estimate(DeriveRequest.readOnly("s1", t, "sys", List.of(), MODEL, null));
        assertTrue(e.wouldCompact());
        assertEquals(105_984, e.budget());
        assertEquals(128_000, e.window());
        assertTrue(e.fraction() > 1);
        assertTrue(openai.requests.isEmpty());
        ContextEstimate small = manager.estimate(DeriveRequest.readOnly("s1", List.of(Message.userText("hi")), "sys",
                List.of(), MODEL, null));
        assertFalse(small.wouldCompact());
        assertEquals(TokenEstimator.estimate("sys") + TokenEstimator.estimate("hi"), small.requestTokens());
    }

    @Test
    void scenario33TerminalTruncationSendsAnyway() throws Exception {
        ToolDefinition tool = new ToolDefinition("read", "Read a file. " + "Explains the parameters at length. ".repeat(40),
                new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));
        List<Message> t = List.of(Message.userText("x".repeat(600_000)));
        SessionMetadata md = new SessionMetadata(null, null, false, false, null,
                new ContextPolicy(ContextPolicy.Policy.AUTO, 500));
        DerivedContext d = manager.derive(new DeriveRequest("s1", t, "You are a coding agent.", List.of(tool), MODEL,
                md, false, null, events, null, null));
        assertEquals(List.of("compaction_started", "context_truncated", "compaction_failed"), events.compactionTypes());
        SessionEvent.CompactionFailed failed = events.of(SessionEvent.CompactionFailed.class).get(0);
        assertNull(failed.fellBackTo());
        assertEquals("context still exceeds the budget after terminal truncation", failed.reason());
        assertEquals(500, failed.budget());
        SessionEvent.ContextTruncated truncated = events.of(SessionEvent.ContextTruncated.class).get(0);
        assertNull(truncated.archiveRef());
        assertEquals(events.of(SessionEvent.CompactionStarted.class).get(0).beforeTokens() - d.requestTokens(),
                truncated.droppedTokens());
        assertEquals(d.messages().size(), truncated.keptMessages());
        // the request is still sent: marker + the shrunk message
        assertEquals(2, d.messages().size());
        assertTrue(d.messages().get(0).text().startsWith("[CONTEXT TRUNCATED]"));
        String text = d.messages().get(1).text();
        assertTrue(text.contains("bytes of text removed to fit the context window …]"), text);
        assertTrue(Utf8.bytes(text) < 1200, "the emergency cap of 1 KiB applies to the active request too");
        assertTrue(openai.requests.isEmpty());
        assertFalse(manager.hasCachedCompaction("s1"), "terminal truncation is never cached");
        assertEquals(CompactionStrategy.TRUNCATE, d.compaction().strategy());
        assertFalse(d.compaction().fits());
    }

    @Test
    void cancellationDuringTheSummaryEndsTheDerivation() {
        Cancellation cancellation = new Cancellation();
        AtomicReference<Thread> providerThread = new AtomicReference<>();
        script = r -> {
            providerThread.set(Thread.currentThread());
            cancellation.cancel();
            return ScriptedProvider.text("late");
        };
        DeriveRequest req = new DeriveRequest("s1", scenario30(), "sys", List.of(), MODEL, null, false, null, events,
                cancellation, null);
        assertThrows(Cancellation.CancelledException.class, () -> manager.derive(req));
        assertEquals("aborted", events.of(SessionEvent.RlmComplete.class).get(0).outcome());
        assertTrue(events.of(SessionEvent.CompactionCompleted.class).isEmpty());
        assertFalse(manager.hasCachedCompaction("s1"));
        assertNotNull(providerThread.get());
    }

    @Test
    void conservativeReductionsAloneCanFitWithoutEvents() {
        List<Message> t = new ArrayList<>();
        t.add(Message.userText("Fix the parser"));
        t.add(Message.of(Role.ASSISTANT, new ContentPart.Thinking(text(1, 3000), null), new ContentPart.Text("a")));
        for (int i = 0; i < 6; i++) {
            t.add(Message.assistantText("step " + i));
        }
        t.add(Message.userText("Now fix the parser"));
        long full = TokenEstimator.estimateRequest("sys", t, List.of());
        SessionMetadata md = new SessionMetadata(null, null, false, false, null,
                new ContextPolicy(ContextPolicy.Policy.AUTO, full - 100));
        DerivedContext d = manager.derive(new DeriveRequest("s1", t, "sys", List.of(), MODEL, md, false, null, events,
                null, null));
        assertTrue(events.events.isEmpty());
        assertNull(d.compaction());
        assertEquals(List.of(new ContentPart.Text("a")), d.messages().get(1).content(), "old thinking removed");
        assertEquals(t.size(), d.messages().size());
    }

    @Test
    void cascadeMovesToSmallerKeepLastUntilItFits() {
        List<Message> t = new ArrayList<>();
        t.add(Message.userText("Start the migration"));
        for (int i = 0; i < 30; i++) {
            t.add(i % 2 == 0 ? Message.assistantText(text(i, i >= 20 ? 9000 : 500)) : Message.userText("More " + i));
        }
        // the last 16 messages hold ≈ 45,000 tokens; with 40,000 only keep-last 8 or fewer fits
        SessionMetadata md = new SessionMetadata(null, null, false, false, null,
                new ContextPolicy(ContextPolicy.Policy.AUTO, 40_000));
        DerivedContext d = manager.derive(new DeriveRequest("s1", t, "sys", List.of(), MODEL, md, false, null, events,
                null, usages::add));
        assertEquals(List.of("compaction_started", "compaction_completed"), events.compactionTypes());
        assertTrue(d.requestTokens() <= 40_000);
        int kept = d.messages().size() - 1;
        assertTrue(kept <= 8, "kept " + kept);
        assertEquals(t.subList(t.size() - kept, t.size()), d.messages().subList(1, d.messages().size()));
        assertTrue(openai.requests.size() >= 2, "one summary per split tried");
        assertEquals(openai.requests.size(), usages.size());
        assertEquals(openai.requests.size(), events.of(SessionEvent.RlmComplete.class).size());
    }

    @Test
    void estimatesWithAnotherBudgetDoNotDropTheCache() {
        List<Message> t = scenario30();
        DeriveRequest halved = new DeriveRequest("s1", t, "sys", List.of(), MODEL, null, true,
                CompactionReason.PROMPT_TOO_LONG, events, null, null);
        manager.derive(halved);
        manager.estimate(DeriveRequest.readOnly("s1", t, "sys", List.of(), MODEL, null));
        manager.previewCompaction(DeriveRequest.readOnly("s1", t, "sys", List.of(), MODEL, null));
        events.events.clear();
        DerivedContext again = manager.derive(halved);
        assertTrue(again.fromCache());
        assertTrue(events.events.isEmpty());
    }
}
