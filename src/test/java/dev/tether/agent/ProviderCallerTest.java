package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.FinishReason;
import dev.tether.provider.Provider;
import dev.tether.provider.ProviderException;
import dev.tether.provider.ResolvedModel;
import dev.tether.provider.StreamChunk;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Usage;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class ProviderCallerTest {

    private final List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper recordingSleeper = (d, c) -> waits.add(d);

    @Test
    void retriesServerErrorsWithBackoffBracketedByPlayBreaks() {
        ScriptedProvider provider = new ScriptedProvider(n -> n < 2 ? fail(503, null) : answer("Hi there"));
        ProviderCaller.Result result = caller().call(call(provider, Duration.ofSeconds(5)));
        assertEquals("Hi there", result.response().message().text());
        assertEquals(3, provider.requests.get());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
        assertEquals(List.of("token_estimate", "play_break", "play_break", "token_estimate", "play_break", "play_break",
                "token_estimate", "text_chunk", "token_usage"), types());
        SessionEvent.PlayBreak first = (SessionEvent.PlayBreak) events.get(1);
        assertTrue(first.active());
        assertEquals(1000L, first.delayMs());
    }

    @Test
    void retryAfterIsClampedTo60SecondsAndGrantsNoExtraAttempts() {
        ScriptedProvider provider = new ScriptedProvider(n -> fail(429, Duration.ofSeconds(120)));
        ProviderException e = assertThrows(ProviderException.class,
                () -> caller().call(call(provider, Duration.ofSeconds(5))));
        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals(4, provider.requests.get());
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)), waits);
    }

    @Test
    void fatalErrorIsNotRetried() {
        ScriptedProvider provider = new ScriptedProvider(n -> fail(401, null));
        assertThrows(ProviderException.class, () -> caller().call(call(provider, Duration.ofSeconds(5))));
        assertEquals(1, provider.requests.get());
        assertTrue(waits.isEmpty());
    }

    @Test
    void midStreamStallRestartsTheWholeRequest() {
        ScriptedProvider provider = new ScriptedProvider(n -> n == 0
                ? Multi.createBy().concatenating().streams(Multi.createFrom().item(new StreamChunk.Text("Hel")),
                        Multi.createFrom().nothing())
                : answer("Hello"));
        ProviderCaller.Result result = caller().call(call(provider, Duration.ofMillis(200)));
        assertEquals("Hello", result.response().message().text());
        List<SessionEvent.StreamRetry> retries = events.stream().filter(SessionEvent.StreamRetry.class::isInstance)
                .map(SessionEvent.StreamRetry.class::cast).toList();
        assertEquals(List.of(new SessionEvent.StreamRetry(1, 5, "mid_stream_stall")), retries);
    }

    @Test
    void prematureEndsExhaustFiveRestarts() {
        ScriptedProvider provider = new ScriptedProvider(n -> Multi.createFrom().item(new StreamChunk.Text("par")));
        ProviderException e = assertThrows(ProviderException.class,
                () -> caller().call(call(provider, Duration.ofSeconds(5))));
        assertEquals("stream_restart_exhausted", e.vendorCode().orElseThrow());
        assertEquals(6, provider.requests.get());
        assertEquals(5, events.stream().filter(SessionEvent.StreamRetry.class::isInstance).count());
    }

    @Test
    void emptyResponseIsRetried() {
        ScriptedProvider provider = new ScriptedProvider(n -> n == 0
                ? Multi.createFrom().item(new StreamChunk.Done(null, FinishReason.STOP)) : answer("ok"));
        assertEquals("ok", caller().call(call(provider, Duration.ofSeconds(5))).response().message().text());
        assertEquals(List.of(Duration.ofSeconds(1)), waits);
    }

    @Test
    void emptyAnswersThatReportUsageAreCountedAttemptByAttempt() {
        ScriptedProvider provider = new ScriptedProvider(n -> n < 2
                ? Multi.createFrom().items(new StreamChunk.Text("  "), new StreamChunk.Done(Usage.of(30 + n, 1, null,
                null), FinishReason.STOP))
                : answer("ok"));
        ProviderCaller.Result result = caller().call(call(provider, Duration.ofSeconds(5)));
        assertEquals("ok", result.response().message().text());
        assertEquals(Usage.of(10, 2, null, null), result.usage(), "the result is the answering attempt's usage");
        assertEquals(List.of("token_estimate", "text_chunk", "token_usage", "play_break", "play_break",
                "token_estimate", "text_chunk", "token_usage", "play_break", "play_break",
                "token_estimate", "text_chunk", "token_usage"), types());
        assertEquals(List.of(30L, 31L, 10L), usages().stream().map(SessionEvent.TokenUsage::promptTokens).toList());
    }

    @Test
    void anEmptyAnswerCutOffAtMaxTokensIsCountedAndFatalWithoutRetry() {
        ScriptedProvider provider = new ScriptedProvider(n -> Multi.createFrom().items(new StreamChunk.Text(" \n"),
                new StreamChunk.Done(Usage.of(1170, 24, null, null), FinishReason.LENGTH)));
        ProviderException e = assertThrows(ProviderException.class,
                () -> caller().call(call(provider, Duration.ofSeconds(5))));
        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals(1, provider.requests.get());
        assertTrue(waits.isEmpty());
        assertTrue(e.getMessage().contains("max_tokens = 24") && e.getMessage().contains("tether.agent.max-tokens"),
                e.getMessage());
        assertEquals(List.of(new SessionEvent.TokenUsage(TokenSource.ROOT, "scripted/m", 1170, 24, null, null,
                usages().get(0).durationMs())), usages());
    }

    @Test
    void anAnswerWithContentCutOffAtMaxTokensIsKept() {
        ScriptedProvider provider = new ScriptedProvider(n -> Multi.createFrom().items(new StreamChunk.Text("Trunc"),
                new StreamChunk.Done(Usage.of(5, 24, null, null), FinishReason.LENGTH)));
        assertEquals("Trunc", caller().call(call(provider, Duration.ofSeconds(5))).response().message().text());
        assertEquals(1, provider.requests.get());
    }

    @Test
    void missingUsageFallsBackToEstimates() {
        ScriptedProvider provider = new ScriptedProvider(n -> Multi.createFrom().items(new StreamChunk.Text("abc"),
                new StreamChunk.Done(null, FinishReason.STOP)));
        ProviderCaller.Result result = caller().call(call(provider, Duration.ofSeconds(5)));
        assertEquals(Usage.of(42, 7, null, null), result.usage());
    }

    @Test
    void toolCallDeltasAreAssembledInOrder() {
        ScriptedProvider provider = new ScriptedProvider(n -> Multi.createFrom().items(
                new StreamChunk.ToolCallStart("c1", "read"), new StreamChunk.ToolCallDelta("c1", "{\"pa"),
                new StreamChunk.ToolCallStart("c2", "list"), new StreamChunk.ToolCallDelta("c1", "th\":\"a\"}"),
                new StreamChunk.ToolCallDelta("c2", " "), new StreamChunk.Done(Usage.of(5, 2, 1L, null), FinishReason.TOOL_CALLS)));
        Message m = caller().call(call(provider, Duration.ofSeconds(5))).response().message();
        assertEquals(List.of(new ContentPart.ToolCall("c1", "read", "{\"path\":\"a\"}"),
                new ContentPart.ToolCall("c2", "list", "{}")), m.toolCalls());
    }

    @Test
    void cancellationDuringAStalledStreamEndsTheCall() throws Exception {
        Cancellation cancellation = new Cancellation();
        ScriptedProvider provider = new ScriptedProvider(n -> Multi.createFrom().nothing());
        Thread canceller = new Thread(() -> {
            while (provider.requests.get() == 0) {
                Thread.onSpinWait();
            }
            cancellation.cancel();
        });
        canceller.start();
        ProviderCaller.Call call = new ProviderCaller.Call(provider.resolved(), request(), TokenSource.ROOT, 42, 1000,
                Duration.ofSeconds(30), events::add, cancellation, m -> 7);
        assertThrows(Cancellation.CancelledException.class, () -> caller().call(call));
        canceller.join();
    }

    @Test
    void retryableFailureAfterTheStatusAndBeforeTheFirstChunkIsAStreamRestart() {
        ScriptedProvider provider = new ScriptedProvider(n -> n == 0
                ? Multi.createBy().concatenating().streams(Multi.createFrom().item(new StreamChunk.Started()),
                        fail(503, null))
                : answer("ok"));
        assertEquals("ok", caller().call(call(provider, Duration.ofSeconds(5))).response().message().text());
        assertEquals(List.of(new SessionEvent.StreamRetry(1, 5, "transient_fault")), events.stream()
                .filter(SessionEvent.StreamRetry.class::isInstance).toList());
        assertTrue(types().stream().noneMatch("play_break"::equals), "not a §3.7 retry: " + types());
    }

    @Test
    void callDurationBoundEndsAStalledCallWithAnErrorNamingTheKey() {
        // every attempt stalls after the status; the 5 s idle timeout would never fire within the 300 ms bound
        ScriptedProvider provider = new ScriptedProvider(n -> Multi.createBy().concatenating().streams(
                Multi.createFrom().item(new StreamChunk.Started()), Multi.createFrom().nothing()));
        ProviderCaller bounded = new ProviderCaller(recordingSleeper, 5, Duration.ofMillis(300));
        ProviderException e = assertThrows(ProviderException.class,
                () -> bounded.call(call(provider, Duration.ofSeconds(5))));
        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals("call_duration_exceeded", e.vendorCode().orElseThrow());
        assertTrue(e.getMessage().contains("tether.agent.max-call-duration (0.3s)"), e.getMessage());
        assertEquals(1, provider.requests.get());
    }

    @Test
    void callDurationBoundCutsRetryWaitsAndRefusesFurtherAttempts() {
        ScriptedProvider provider = new ScriptedProvider(n -> fail(429, Duration.ofSeconds(30)));
        Sleeper realSleeper = (d, c) -> {
            waits.add(d);
            Sleeper.REAL.sleep(d, c);
        };
        ProviderException e = assertThrows(ProviderException.class,
                () -> new ProviderCaller(realSleeper, 5, Duration.ofMillis(200)).call(call(provider,
                        Duration.ofSeconds(5))));
        assertEquals("call_duration_exceeded", e.vendorCode().orElseThrow());
        assertEquals(1, provider.requests.get(), "no attempt past the bound");
        assertEquals(1, waits.size());
        assertTrue(waits.get(0).compareTo(Duration.ofMillis(200)) <= 0, "the 30 s wait is cut: " + waits);
    }

    private ProviderCaller caller() {
        return new ProviderCaller(recordingSleeper, 5, Duration.ofMinutes(10));
    }

    private ProviderCaller.Call call(ScriptedProvider provider, Duration idle) {
        return new ProviderCaller.Call(provider.resolved(), request(), TokenSource.ROOT, 42, 1000, idle, events::add,
                new Cancellation(), m -> 7);
    }

    private static CompletionRequest request() {
        return new CompletionRequest("m", List.of(Message.userText("hi")), List.of(), null, null, 24, null);
    }

    private List<SessionEvent.TokenUsage> usages() {
        return events.stream().filter(SessionEvent.TokenUsage.class::isInstance).map(SessionEvent.TokenUsage.class::cast)
                .toList();
    }

    private List<String> types() {
        return events.stream().map(SessionEvent::type).toList();
    }

    private static Multi<StreamChunk> fail(int status, Duration retryAfter) {
        ProviderException.Kind kind = status == 429 || status >= 500 ? ProviderException.Kind.RETRYABLE
                : ProviderException.Kind.FATAL;
        return Multi.createFrom().failure(new ProviderException(kind, status, null, "HTTP " + status, retryAfter, null));
    }

    private static Multi<StreamChunk> answer(String text) {
        return Multi.createFrom().items(new StreamChunk.Text(text), new StreamChunk.Done(Usage.of(10, 2, null, null),
                FinishReason.STOP));
    }

    private static final class ScriptedProvider implements Provider {
        final AtomicInteger requests = new AtomicInteger();
        final IntFunction<Multi<StreamChunk>> script;

        ScriptedProvider(IntFunction<Multi<StreamChunk>> script) {
            this.script = script;
        }

        ResolvedModel resolved() {
            return new ResolvedModel(this, "m");
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public boolean isConfigured() {
            return true;
        }

        @Override
        public String defaultModel() {
            return "m";
        }

        @Override
        public Multi<StreamChunk> stream(CompletionRequest request) {
            return Multi.createFrom().deferred(() -> script.apply(requests.getAndIncrement()));
        }

        @Override
        public CompletionResponse complete(CompletionRequest request) {
            throw new IllegalStateException("not used");
        }
    }
}
