package dev.tether.agent;

import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.FinishReason;
import dev.tether.provider.ProviderException;
import dev.tether.provider.ResolvedModel;
import dev.tether.provider.StreamChunk;
import dev.tether.session.Cancellation;
import dev.tether.session.Message;
import dev.tether.session.Usage;
import dev.tether.tool.ToolOutputs;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Makes one loop provider call under the retry policy (§3.7) and the stream restart protocol (§3.8), emitting
 * {@code token_estimate} before every attempt, {@code text_chunk}/{@code thinking} while streaming, {@code play_break}
 * around retry waits, {@code stream_retry} on restarts and {@code token_usage} after every attempt that completed
 * with usage (also an empty answer that is then retried or fails the call, §5.4). An empty answer cut off at
 * {@code max_tokens} is fatal, not retried. Context-length and fatal errors are thrown to the step; so is
 * cancellation. The whole call, waits included, is bounded by {@code tether.agent.max-call-duration}: past it the
 * call fails (fatal) instead of waiting for another attempt.
 */
record ProviderCaller(Sleeper sleeper, int maxRestarts, Duration maxCallDuration) {

    static final int MAX_RETRIES = 3;
    static final Duration MIN_SERVER_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_SERVER_DELAY = Duration.ofSeconds(60);
    /** The setting that bounds a loop answer, named in the error of an empty answer cut off by it. */
    static final String MAX_TOKENS_KEY = "tether.agent.max-tokens";

    static final String MAX_CALL_KEY = "tether.agent.max-call-duration";

    /** What one call needs besides the request. */
    record Call(ResolvedModel model, CompletionRequest request, TokenSource source, long requestTokens, long budget,
                Duration idleTimeout, EventEmitter emitter, Cancellation cancellation,
                ToLongFunction<Message> estimator) {
    }

    /** The completion, its normalised usage and the wall time including retries and restarts. */
    record Result(CompletionResponse response, Usage usage, long durationMs) {
    }

    Result call(Call call) {
        long started = System.nanoTime();
        long deadline = started + maxCallDuration.toNanos();
        int retries = 0;
        int restarts = 0;
        while (true) {
            call.cancellation().check();
            checkDeadline(deadline);
            call.emitter().emit(new SessionEvent.TokenEstimate(call.source(), call.model().selector(),
                    call.requestTokens(), call.budget()));
            long attemptStart = System.nanoTime();
            try {
                CompletionResponse response = stream(call, deadline);
                long attemptMs = (System.nanoTime() - attemptStart) / 1_000_000;
                if (StreamAccumulator.isEmpty(response)) {
                    // the provider answered and billed what it reports, even if the answer is discarded (§5.4)
                    if (response.usage() != null) {
                        emitUsage(call, response.usage(), attemptMs);
                    }
                    throw response.finishReason() == FinishReason.LENGTH ? outputLimitReached(call)
                            : new ProviderException(ProviderException.Kind.RETRYABLE, 200, "empty_response",
                                    "the model returned an empty response", null, null);
                }
                Usage usage = response.usage() != null ? response.usage()
                        : Usage.of(call.requestTokens(), call.estimator().applyAsLong(response.message()), null, null);
                emitUsage(call, usage, attemptMs);
                return new Result(response, usage, (System.nanoTime() - started) / 1_000_000);
            } catch (StreamStop stop) {
                restarts++;
                if (restarts > maxRestarts) {
                    throw new ProviderException(ProviderException.Kind.FATAL, 0, "stream_restart_exhausted",
                            "stream failed " + restarts + " times (" + stop.reason.wire + "); restarts exhausted",
                            null, stop);
                }
                call.emitter().emit(new SessionEvent.StreamRetry(restarts, maxRestarts, stop.reason.wire));
                sleeper.sleep(within(deadline, stop.serverDelay != null ? clamp(stop.serverDelay)
                        : restartDelay(restarts)), call.cancellation());
            } catch (ProviderException e) {
                if (e.kind() != ProviderException.Kind.RETRYABLE) {
                    throw e;
                }
                retries++;
                if (retries > MAX_RETRIES) {
                    throw new ProviderException(ProviderException.Kind.FATAL, e.httpStatus(),
                            e.vendorCode().orElse(null), e.getMessage() + " (after " + MAX_RETRIES + " retries)",
                            null, e);
                }
                Duration wait = within(deadline, e.retryAfter().map(ProviderCaller::clamp)
                        .orElse(Duration.ofSeconds(1L << (retries - 1))));
                call.emitter().emit(new SessionEvent.PlayBreak(true, wait.toMillis(), e.getMessage()));
                try {
                    sleeper.sleep(wait, call.cancellation());
                } finally {
                    call.emitter().emit(new SessionEvent.PlayBreak(false, null, null));
                }
            }
        }
    }

    private static void emitUsage(Call call, Usage usage, long attemptMs) {
        call.emitter().emit(new SessionEvent.TokenUsage(call.source(), call.model().selector(), usage.promptTokens(),
                usage.completionTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(), attemptMs));
    }

    /**
     * An empty answer that stopped at {@code max_tokens} (§3.7): asking again with the same limit gets the same
     * answer, so the turn ends and says which setting to raise.
     */
    private static ProviderException outputLimitReached(Call call) {
        Integer limit = call.request().maxTokens();
        String stated = limit == null ? "its output limit" : "max_tokens = " + limit;
        return new ProviderException(ProviderException.Kind.FATAL, 200, "max_tokens",
                "the model stopped at " + stated + " before producing any text or tool call; raise "
                        + MAX_TOKENS_KEY + " (environment TETHER_AGENT_MAX_TOKENS)"
                        + (limit == null ? "" : " above " + limit), null, null);
    }

    static Duration clamp(Duration d) {
        if (d.compareTo(MIN_SERVER_DELAY) < 0) {
            return MIN_SERVER_DELAY;
        }
        return d.compareTo(MAX_SERVER_DELAY) > 0 ? MAX_SERVER_DELAY : d;
    }

    /**
     * A wait cut short at the call's deadline (rounded up to whole milliseconds, so that it does end past it): the
     * next attempt is then refused by {@link #checkDeadline}.
     */
    private static Duration within(long deadline, Duration wait) {
        long left = Math.max(0, deadline - System.nanoTime());
        return wait.toNanos() > left ? Duration.ofMillis((left + 999_999) / 1_000_000) : wait;
    }

    private void checkDeadline(long deadline) {
        if (System.nanoTime() - deadline >= 0) {
            throw callTooLong();
        }
    }

    private ProviderException callTooLong() {
        return new ProviderException(ProviderException.Kind.FATAL, 0, "call_duration_exceeded",
                "the provider call got no complete answer within " + MAX_CALL_KEY + " ("
                        + TurnDeadline.format(maxCallDuration) + ")", null, null);
    }

    /** Restart n waits {@code 200 ms × 2^(n−1) × (1 + u)}, u uniform in [0, 0.5). */
    static Duration restartDelay(int n) {
        double u = ThreadLocalRandom.current().nextDouble(0, 0.5);
        return Duration.ofMillis((long) (200L * (1L << (n - 1)) * (1 + u)));
    }

    /** Follows the provider's last chunk, so that the end of the stream reaches the turn thread as an item. */
    private static final Object END = new Object();

    /**
     * One attempt: the provider's chunks are read on the turn thread (so events are emitted in order, off the event
     * loop) as a blocking iterable of three merged sources: the chunks, failing when none arrives within the idle
     * timeout; the call's deadline; and the turn's cancellation. It is subscribed on this thread (no hop that could
     * delay the timers) and its subscription is cancelled when the attempt ends, which closes the provider's HTTP
     * exchange.
     */
    private CompletionResponse stream(Call call, long deadline) {
        Multi<Object> chunks = call.model().provider().stream(call.request())
                .ifNoItem().after(call.idleTimeout()).failWith(IdleTimeout::new)
                .onItem().castTo(Object.class)
                .onCompletion().continueWith(END);
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        Multi<Object> attempt = Multi.createBy().merging().streams(chunks, failureAt(deadline),
                        failureOn(call.cancellation()))
                // a failure as an item: the blocking iterable would otherwise throw it ahead of the queued chunks
                .onFailure().recoverWithItem(Failure::new)
                .onSubscription().invoke(subscription::set);
        StreamAccumulator acc = new StreamAccumulator();
        boolean started = false;
        try {
            Iterator<Object> it = attempt.subscribe().asIterable().iterator();
            while (true) {
                Object item;
                try {
                    item = it.next();
                } catch (RuntimeException e) {
                    // failures arrive as items: only an interrupt of this thread ends the iteration this way
                    if (e.getCause() instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new Cancellation.CancelledException();
                    }
                    throw e;
                }
                if (item instanceof Failure f) {
                    if (f.error() instanceof IdleTimeout) {
                        throw new StreamStop(acc.hasChunks() ? StreamStop.Reason.MID_STREAM_STALL
                                : StreamStop.Reason.COLD_STALL, null, null);
                    }
                    throw classifyFailure(f.error(), started || acc.hasChunks());
                }
                if (item == END) {
                    if (acc.isDone()) {
                        return acc.toResponse();
                    }
                    throw new StreamStop(StreamStop.Reason.PREMATURE_END, null, null);
                }
                started = true;
                StreamAccumulator.Change change = acc.accept((StreamChunk) item);
                if (change == StreamAccumulator.Change.TEXT) {
                    call.emitter().emit(new SessionEvent.TextChunk(ToolOutputs.eventText(acc.text())));
                } else if (change == StreamAccumulator.Change.THINKING) {
                    call.emitter().emit(new SessionEvent.Thinking());
                }
                if (acc.isDone()) {
                    return acc.toResponse();
                }
            }
        } finally {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Fails with {@link #callTooLong()} at the call's deadline, counted from subscription (never emits an item). */
    private Multi<Object> failureAt(long deadline) {
        return Multi.createFrom().deferred(() -> Uni.createFrom().item(END).onItem()
                .delayIt().by(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                .onItem().failWith(this::callTooLong).toMulti());
    }

    /** Fails with {@link Cancellation.CancelledException} when the turn is cancelled (never emits an item). */
    private static Multi<Object> failureOn(Cancellation cancellation) {
        return Multi.createFrom().emitter(em -> {
            Cancellation.Registration registration =
                    cancellation.onCancel(() -> em.fail(new Cancellation.CancelledException()));
            em.onTermination(registration::close);
        });
    }

    private record Failure(Throwable error) {
    }

    /** No chunk within the idle timeout (§3.8); classified as a cold or mid-stream stall on the turn thread. */
    private static final class IdleTimeout extends RuntimeException {
        IdleTimeout() {
            super("stream idle", null, false, false);
        }
    }

    /**
     * A retryable failure once the stream has started (the 2xx status arrived: {@link StreamChunk.Started} or any
     * chunk) is a stream fault (restart, §3.8); before, a retry (§3.7).
     */
    private static RuntimeException classifyFailure(Throwable error, boolean started) {
        if (error instanceof ProviderException pe) {
            if (pe.kind() == ProviderException.Kind.RETRYABLE && started) {
                return new StreamStop(StreamStop.Reason.TRANSIENT_FAULT, pe.retryAfter().orElse(null), pe);
            }
            return pe;
        }
        if (error instanceof Cancellation.CancelledException ce) {
            return ce;
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (started) {
            return new StreamStop(StreamStop.Reason.TRANSIENT_FAULT, null, error);
        }
        return new ProviderException(ProviderException.Kind.RETRYABLE, 0, null, "connection failed: " + message,
                null, error);
    }

}
