package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Role;
import dev.tether.tool.ArgumentValidator;
import dev.tether.tool.ProcessAssertions;
import dev.tether.tool.Tool;
import dev.tether.tool.ToolContext;
import dev.tether.tool.ToolOutputs;
import dev.tether.tool.ToolRegistry;
import dev.tether.tool.ToolResult;
import dev.tether.tool.WorkspaceRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolCallExecutorTest {

    @TempDir
    Path ws;

    private final Events events = new Events();
    private final List<ToolCallExecutor> executors = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(ws.resolve("a.txt"), "hello\n");
    }

    @AfterEach
    void tearDown() {
        executors.forEach(ToolCallExecutor::close);
    }

    // ---------------------------------------------------------------- helpers

    /** A thread-safe recording emitter that can wake a test when an event arrives. */
    static final class Events implements EventEmitter {
        final List<SessionEvent> all = Collections.synchronizedList(new ArrayList<>());
        volatile Predicate<SessionEvent> trigger = e -> false;
        final CountDownLatch triggered = new CountDownLatch(1);

        @Override
        public void emit(SessionEvent event) {
            all.add(event);
            if (trigger.test(event)) {
                triggered.countDown();
            }
        }

        List<SessionEvent> snapshot() {
            synchronized (all) {
                return new ArrayList<>(all);
            }
        }

        <T extends SessionEvent> List<T> of(Class<T> type) {
            return snapshot().stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
        }

        /** Compact trace such as {@code start:c1}, {@code complete:c1}. */
        List<String> trace() {
            List<String> out = new ArrayList<>();
            for (SessionEvent e : snapshot()) {
                if (e instanceof SessionEvent.ToolCallStart s) {
                    out.add("start:" + s.toolCallId());
                } else if (e instanceof SessionEvent.ToolCallComplete c) {
                    out.add("complete:" + c.toolCallId());
                } else if (e instanceof SessionEvent.ToolCallMetadata m) {
                    out.add("metadata:" + m.toolCallId());
                }
            }
            return out;
        }
    }

    private ToolCallExecutor executor(ToolRegistry registry, int parallelism, Duration heartbeat, Duration grace) {
        ToolCallExecutor executor = new ToolCallExecutor(new ArgumentValidator(registry), parallelism, heartbeat, grace);
        executors.add(executor);
        return executor;
    }

    private ToolCallExecutor executor(ToolRegistry registry) {
        return executor(registry, 8, Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private ToolContextFactory contexts() {
        return ToolContextFactory.of("session-1", ws, new WorkspaceRoot(ws), false, false);
    }

    private static ContentPart.ToolCall call(String id, String name, String arguments) {
        return new ContentPart.ToolCall(id, name, arguments);
    }

    private static String content(ToolCallOutcome outcome) {
        return ((ContentPart.ToolResult) outcome.message().content().get(0)).content();
    }

    /** A scripted tool. */
    static class TestTool implements Tool {
        final String name;
        final boolean readOnly;
        final Body body;

        interface Body {
            ToolResult run(ObjectNode args, ToolContext context) throws Exception;
        }

        TestTool(String name, boolean readOnly, Body body) {
            this.name = name;
            this.readOnly = readOnly;
            this.body = body;
        }

        public String name() {
            return name;
        }

        public String description() {
            return "test tool " + name;
        }

        public ObjectNode parameters() {
            ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
            schema.putObject("properties");
            return schema;
        }

        public boolean readOnly() {
            return readOnly;
        }

        public ToolResult execute(ObjectNode args, ToolContext context) throws Exception {
            return body.run(args, context);
        }
    }

    /** Wraps a real tool; tracks how many wrapped calls run at once and runs a hook before delegating. */
    static final class Tracked implements Tool {
        final Tool real;
        final AtomicInteger running;
        final TestTool.Body before;

        Tracked(Tool real, AtomicInteger running, TestTool.Body before) {
            this.real = real;
            this.running = running;
            this.before = before;
        }

        public String name() {
            return real.name();
        }

        public String description() {
            return real.description();
        }

        public ObjectNode parameters() {
            return real.parameters();
        }

        public boolean readOnly() {
            return real.readOnly();
        }

        public ToolResult execute(ObjectNode args, ToolContext context) throws Exception {
            running.incrementAndGet();
            try {
                ToolResult veto = before.run(args, context);
                return veto != null ? veto : real.execute(args, context);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void scenario7_readResultIsTheSuccessEnvelopeWithTheNumberedLine() {
        List<ToolCallOutcome> out = executor(ToolRegistry.builtins(false)).execute(
                List.of(call("call_1", "read", "{\"path\":\"a.txt\"}")), contexts(), events, new Cancellation());
        ToolCallOutcome o = out.get(0);
        assertEquals(Role.TOOL, o.message().role());
        assertEquals("call_1", ((ContentPart.ToolResult) o.message().content().get(0)).toolCallId());
        assertEquals("Tool call feedback\n- tool: read\n- status: success\n\nOutput:\n     1\thello", content(o));
        assertEquals("call_1", o.toolUse().id());
        assertEquals("read", o.toolUse().name());
        assertEquals("{\"path\":\"a.txt\"}", o.toolUse().input());
        assertEquals("     1\thello", o.toolUse().output());
        assertTrue(o.toolUse().success());
        assertEquals(ToolCallOutcome.Status.COMPLETED, o.status());
        assertEquals(List.of("start:call_1", "metadata:call_1", "complete:call_1"), events.trace());
        SessionEvent.ToolCallMetadata meta = events.of(SessionEvent.ToolCallMetadata.class).get(0);
        assertEquals(1, meta.metadata().get("total_lines").asInt());
        SessionEvent.ToolCallComplete complete = events.of(SessionEvent.ToolCallComplete.class).get(0);
        assertEquals("     1\thello", complete.output());
        assertTrue(complete.success());
    }

    @Test
    void scenario9_invalidArgumentsFailTheCallButTheNextOneRuns() {
        List<ToolCallOutcome> out = executor(ToolRegistry.builtins(false)).execute(List.of(
                        call("c1", "read", "{\"path\": \"a.t"), call("c2", "read", "{\"path\":\"a.txt\"}")),
                contexts(), events, new Cancellation());
        ToolCallOutcome bad = out.get(0);
        assertEquals(ToolCallOutcome.Status.INVALID, bad.status());
        assertFalse(bad.success());
        assertTrue(bad.toolUse().output().startsWith("Invalid arguments for read: "), bad.toolUse().output());
        assertTrue(content(bad).contains("- status: failure\n" + ToolOutputs.FAILURE_HINT));
        assertEquals("{\"path\": \"a.t", bad.toolUse().input());
        SessionEvent.ToolCallComplete complete = events.of(SessionEvent.ToolCallComplete.class).stream()
                .filter(c -> c.toolCallId().equals("c1")).findFirst().orElseThrow();
        assertFalse(complete.success());
        assertEquals("{\"path\": \"a.t", events.of(SessionEvent.ToolCallStart.class).get(0).arguments());
        assertTrue(out.get(1).success());
    }

    @Test
    void scenario10_unknownToolIsAFailingResultListingTheEnabledTools() {
        List<ToolCallOutcome> out = executor(ToolRegistry.builtins(false)).execute(
                List.of(call("c1", "deploy", "{}")), contexts(), events, new Cancellation());
        assertEquals("Unknown tool: deploy. Available tools: edit, glob, grep, list, read, write",
                out.get(0).toolUse().output());
        assertEquals(List.of("start:c1", "complete:c1"), events.trace());
    }

    @Test
    void scenario20_readersOverlapTheEditRunsAloneAndResultsStayInCallOrder() throws Exception {
        AtomicInteger running = new AtomicInteger();
        CountDownLatch bothReadersRunning = new CountDownLatch(2);
        List<String> resolved = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger concurrentWithEdit = new AtomicInteger(-1);
        AtomicInteger resolvedBeforeEdit = new AtomicInteger(-1);
        AtomicInteger firstGroupCalls = new AtomicInteger();
        TestTool.Body firstGroupMeets = (args, ctx) -> {
            if (firstGroupCalls.getAndIncrement() < 2) {
                // each of the first two calls waits until the other one runs too: only concurrency passes this
                bothReadersRunning.countDown();
                if (!bothReadersRunning.await(10, TimeUnit.SECONDS)) {
                    return ToolResult.failure("the two read-only calls did not overlap");
                }
            }
            return null;
        };
        ToolRegistry registry = new ToolRegistry(List.of(
                new Tracked(new dev.tether.tool.ReadTool(), running, firstGroupMeets),
                new Tracked(new dev.tether.tool.GrepTool(), running, firstGroupMeets),
                new Tracked(new dev.tether.tool.EditTool(), running, (args, ctx) -> {
                    concurrentWithEdit.set(running.get());
                    resolvedBeforeEdit.set(resolved.size());
                    return null;
                })), false);

        List<ToolCallOutcome> out = executor(registry).execute(List.of(
                        call("r1", "read", "{\"path\":\"a.txt\"}"),
                        call("g1", "grep", "{\"pattern\":\"hello\"}"),
                        call("e1", "edit", "{\"path\":\"a.txt\",\"old_string\":\"hello\",\"new_string\":\"bye\"}"),
                        call("r2", "read", "{\"path\":\"a.txt\"}")),
                contexts(), events, new Cancellation(), OutputRouter.IDENTITY, o -> resolved.add(o.call().id()));

        assertEquals(List.of("r1", "g1", "e1", "r2"), out.stream().map(o -> o.call().id()).toList());
        assertEquals(List.of("r1", "g1", "e1", "r2"), resolved);
        out.forEach(o -> assertTrue(o.success(), o.toolUse().output()));
        assertEquals("     1\thello", out.get(0).toolUse().output());
        assertEquals("a.txt:1:hello", out.get(1).toolUse().output());
        assertEquals(1, concurrentWithEdit.get(), "edit ran alongside another call");
        assertEquals(2, resolvedBeforeEdit.get(), "the first group was not resolved before the edit ran");
        assertEquals("     1\tbye", out.get(3).toolUse().output());

        List<String> trace = events.trace().stream().filter(t -> !t.startsWith("metadata")).toList();
        assertEquals(List.of("start:r1", "start:g1"), trace.subList(0, 2));
        assertEquals(java.util.Set.of("complete:r1", "complete:g1"), java.util.Set.copyOf(trace.subList(2, 4)));
        assertEquals(List.of("start:e1", "complete:e1", "start:r2", "complete:r2"), trace.subList(4, 8));
    }

    @Test
    void validationFailuresCountAsReadOnlyAndDoNotSplitAParallelGroup() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        TestTool meet = new TestTool("meet", true, (args, ctx) -> {
            both.countDown();
            return both.await(10, TimeUnit.SECONDS) ? ToolResult.success("met") : ToolResult.failure("alone");
        });
        List<ToolCallOutcome> out = executor(new ToolRegistry(List.of(meet), false)).execute(List.of(
                call("m1", "meet", "{}"), call("x", "nosuch", "{}"), call("m2", "meet", "{}")),
                contexts(), events, new Cancellation());
        assertEquals("met", out.get(0).toolUse().output());
        assertEquals("Unknown tool: nosuch. Available tools: meet", out.get(1).toolUse().output());
        assertEquals("met", out.get(2).toolUse().output());
        assertEquals(List.of("start:m1", "start:x", "start:m2"), events.trace().subList(0, 3));
    }

    @Test
    void parallelGroupsRunAtMostParallelismCallsAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        TestTool counted = new TestTool("count", true, (args, ctx) -> {
            int now = running.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            Thread.yield();
            running.decrementAndGet();
            return ToolResult.success("ok");
        });
        List<ContentPart.ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(call("c" + i, "count", "{}"));
        }
        List<ToolCallOutcome> out = executor(new ToolRegistry(List.of(counted), false), 2, Duration.ofSeconds(10),
                Duration.ofSeconds(10)).execute(calls, contexts(), events, new Cancellation());
        assertEquals(12, out.size());
        assertTrue(max.get() <= 2, "ran " + max.get() + " at once");
        assertEquals(12, events.of(SessionEvent.ToolCallComplete.class).size());
    }

    @Test
    void scenario21_heartbeatsWhileAToolRuns() throws Exception {
        CountDownLatch twoBeats = new CountDownLatch(2);
        EventEmitter counting = event -> {
            events.emit(event);
            if (event instanceof SessionEvent.ToolHeartbeat) {
                twoBeats.countDown();
            }
        };
        TestTool slow = new TestTool("slow", true, (args, ctx) ->
                twoBeats.await(20, TimeUnit.SECONDS) ? ToolResult.success("done") : ToolResult.failure("no beats"));
        // 1 s stands in for the 10 s of the spec: elapsed_secs counts whole seconds of the interval
        List<ToolCallOutcome> out = executor(new ToolRegistry(List.of(slow), false), 8, Duration.ofSeconds(1),
                Duration.ofSeconds(10)).execute(List.of(call("h1", "slow", "{}")), contexts(), counting,
                new Cancellation());
        assertEquals("done", out.get(0).toolUse().output());
        List<SessionEvent> all = events.snapshot();
        List<SessionEvent.ToolHeartbeat> beats = events.of(SessionEvent.ToolHeartbeat.class);
        assertTrue(beats.size() >= 2);
        assertEquals(1, beats.get(0).elapsedSecs());
        assertEquals(2, beats.get(1).elapsedSecs());
        assertEquals("h1", beats.get(0).toolCallId());
        assertEquals("slow", beats.get(0).name());
        assertInstanceOf(SessionEvent.ToolCallComplete.class, all.get(all.size() - 1), "no heartbeat after complete");
    }

    @Test
    void liveOutputIsForwardedAsChunks() {
        TestTool streaming = new TestTool("stream", true, (args, ctx) -> {
            ctx.output().chunk("stdout", "one\n");
            ctx.output().chunk("stderr", "two\n");
            return ToolResult.success("one\ntwo\n");
        });
        executor(new ToolRegistry(List.of(streaming), false)).execute(List.of(call("s1", "stream", "{}")),
                contexts(), events, new Cancellation());
        List<SessionEvent.ToolOutputChunk> chunks = events.of(SessionEvent.ToolOutputChunk.class);
        assertEquals(2, chunks.size());
        assertEquals("stdout", chunks.get(0).stream());
        assertEquals("one\n", chunks.get(0).chunk());
        assertEquals("stderr", chunks.get(1).stream());
        assertEquals("s1", chunks.get(1).toolCallId());
    }

    @Test
    void aThrowingToolIsAFailureWithErrorPrefix() {
        TestTool boom = new TestTool("boom", false, (args, ctx) -> {
            throw new IllegalStateException("kaput");
        });
        List<ToolCallOutcome> out = executor(new ToolRegistry(List.of(boom), false)).execute(
                List.of(call("b1", "boom", "")), contexts(), events, new Cancellation());
        assertEquals("Error: kaput", out.get(0).toolUse().output());
        assertEquals("", out.get(0).toolUse().input());
        assertFalse(out.get(0).success());
        assertEquals(List.of("start:b1", "complete:b1"), events.trace());
    }

    @Test
    void routerChangesTheStoredBodyNotTheEventOutputAndLongOutputsAreCapped() {
        String big = "€".repeat(3400);
        TestTool bulk = new TestTool("bulk", true, (args, ctx) -> ToolResult.success(big));
        List<ContentPart.ToolCall> routedCalls = new ArrayList<>();
        OutputRouter router = (c, tool, output) -> {
            routedCalls.add(c);
            return c.id().equals("u1") ? "summary of " + output.length() + " chars" : output;
        };
        List<ToolCallOutcome> out = executor(new ToolRegistry(List.of(bulk), false)).execute(List.of(
                        call("u1", "bulk", "{}"), call("u2", "bulk", "{}"), call("u3", "nope", "{}")),
                contexts(), events, new Cancellation(), router, o -> { });
        assertEquals("summary of 3400 chars", out.get(0).toolUse().output());
        assertEquals(big, out.get(0).rawOutput());
        assertEquals("€".repeat(1365) + "\n[digest: bulk output was 10200 bytes; only the first 4096 bytes are kept]",
                out.get(1).toolUse().output());
        assertEquals(List.of("u1", "u2"), routedCalls.stream().map(ContentPart.ToolCall::id).toList(),
                "invalid calls are not routed");
        SessionEvent.ToolCallComplete first = events.of(SessionEvent.ToolCallComplete.class).stream()
                .filter(c -> c.toolCallId().equals("u1")).findFirst().orElseThrow();
        assertEquals("€".repeat(2730) + " …[truncated, 10200 bytes total]", first.output());
        String args = "{\"x\":\"" + "y".repeat(5000) + "\"}";
        executor(new ToolRegistry(List.of(bulk), false)).execute(List.of(call("u4", "bulk", args)), contexts(),
                events, new Cancellation());
        SessionEvent.ToolCallStart start = events.of(SessionEvent.ToolCallStart.class).stream()
                .filter(s -> s.toolCallId().equals("u4")).findFirst().orElseThrow();
        assertEquals(ToolOutputs.eventArguments(args), start.arguments());
        assertTrue(start.arguments().endsWith(" …[truncated, 5008 bytes total]"));
    }

    @Test
    void scenario25_cancellingARunningBashKillsItAndEveryCallGetsAResult() throws Exception {
        ToolCallExecutor executor = executor(ToolRegistry.builtins(true));
        Cancellation cancellation = new Cancellation();
        events.trigger = e -> e instanceof SessionEvent.ToolOutputChunk;
        List<ContentPart.ToolCall> calls = List.of(
                call("l1", "list", "{}"),
                call("b1", "bash", "{\"command\":\"sleep 30 & echo $!; echo $$; wait\"}"),
                call("r1", "read", "{\"path\":\"a.txt\"}"));
        CompletableFuture<List<ToolCallOutcome>> result = CompletableFuture.supplyAsync(
                () -> executor.execute(calls, contexts(), events, cancellation));
        assertTrue(events.triggered.await(20, TimeUnit.SECONDS), "bash never started");
        assertTrue(cancellation.cancel());
        List<ToolCallOutcome> out = result.get(20, TimeUnit.SECONDS);

        assertEquals(ToolCallOutcome.Status.COMPLETED, out.get(0).status());
        assertTrue(out.get(0).success());
        assertEquals("a.txt", out.get(0).toolUse().output());

        ToolCallOutcome bash = out.get(1);
        assertEquals(ToolCallOutcome.Status.ABORTED, bash.status());
        assertFalse(bash.success());
        assertEquals(ToolCallExecutor.ABORTED_OUTPUT, bash.toolUse().output());
        assertTrue(content(bash).endsWith("Output:\n" + ToolCallExecutor.ABORTED_OUTPUT));

        ToolCallOutcome read = out.get(2);
        assertEquals(ToolCallOutcome.Status.NOT_EXECUTED, read.status());
        assertEquals(ToolCallExecutor.NOT_EXECUTED_OUTPUT, read.toolUse().output());
        assertEquals(List.of("start:l1", "complete:l1", "start:b1", "complete:b1"), events.trace());

        String printed = events.of(SessionEvent.ToolOutputChunk.class).stream()
                .map(SessionEvent.ToolOutputChunk::chunk).collect(Collectors.joining());
        long sleepPid = Long.parseLong(printed.split("\n")[0].trim());
        ProcessAssertions.assertDead(sleepPid);
    }

    @Test
    void cancellationInsideAParallelGroupAbortsTheRunningCallAndSkipsTheQueuedOnes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        TestTool blocking = new TestTool("block", true, (args, ctx) -> {
            started.countDown();
            new CountDownLatch(1).await(); // until interrupted
            return ToolResult.success("never");
        });
        ToolCallExecutor executor = executor(new ToolRegistry(List.of(blocking), false), 1, Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        Cancellation cancellation = new Cancellation();
        CompletableFuture<List<ToolCallOutcome>> result = CompletableFuture.supplyAsync(() -> executor.execute(
                List.of(call("k1", "block", "{}"), call("k2", "block", "{}"), call("k3", "block", "{}")),
                contexts(), events, cancellation));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        cancellation.cancel();
        List<ToolCallOutcome> out = result.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(ToolCallOutcome.Status.ABORTED, ToolCallOutcome.Status.NOT_EXECUTED,
                ToolCallOutcome.Status.NOT_EXECUTED), out.stream().map(ToolCallOutcome::status).toList());
        assertEquals(ToolCallExecutor.NOT_EXECUTED_OUTPUT, out.get(2).toolUse().output());
        // all three were announced, so all three are completed
        assertEquals(3, events.of(SessionEvent.ToolCallComplete.class).size());
    }

    @Test
    void aToolIgnoringTheInterruptIsGivenUpAfterTheGracePeriod() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestTool stubborn = new TestTool("stubborn", false, (args, ctx) -> {
            started.countDown();
            while (true) {
                try {
                    release.await();
                    return ToolResult.success("late");
                } catch (InterruptedException ignored) {
                    // deliberately deaf to cancellation
                }
            }
        });
        ToolCallExecutor executor = executor(new ToolRegistry(List.of(stubborn), false), 8, Duration.ofSeconds(10),
                Duration.ofMillis(200));
        Cancellation cancellation = new Cancellation();
        CompletableFuture<List<ToolCallOutcome>> result = CompletableFuture.supplyAsync(() -> executor.execute(
                List.of(call("s1", "stubborn", "{}")), contexts(), events, cancellation));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        cancellation.cancel();
        List<ToolCallOutcome> out = result.get(10, TimeUnit.SECONDS);
        release.countDown();
        assertEquals(ToolCallOutcome.Status.ABORTED, out.get(0).status());
        assertEquals(ToolCallExecutor.ABORTED_OUTPUT, out.get(0).toolUse().output());
        assertEquals(1, events.of(SessionEvent.ToolCallComplete.class).size());
    }

    @Test
    void alreadyCancelledTurnExecutesNothing() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        List<ToolCallOutcome> out = executor(ToolRegistry.builtins(false)).execute(
                List.of(call("c1", "write", "{\"path\":\"x.txt\",\"content\":\"x\"}")), contexts(), events, cancellation);
        assertEquals(ToolCallOutcome.Status.NOT_EXECUTED, out.get(0).status());
        assertFalse(Files.exists(ws.resolve("x.txt")));
        assertTrue(events.snapshot().isEmpty());
    }
}
