package dev.tether.context;

import dev.tether.config.ManagedPools;
import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.ResolvedModel;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.Cancellation;
import dev.tether.session.Message;
import dev.tether.session.Usage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Makes one non-streaming auxiliary model call (title, RLM iteration or sub-call, compaction summary) the way §5.4
 * requires: {@code token_estimate} before, {@code token_usage} after success (estimates when the provider reports no
 * usage), the usage handed to a {@link UsageSink}. No retries (§3.7): a failure goes to the caller's fallback.
 *
 * <p>The blocking {@code complete} runs on a view of the Quarkus worker pool ({@link ManagedPools}) so that a timeout
 * or a cancellation ends the caller's wait at once and interrupts the call, which resets its HTTP exchange. A
 * {@code Uni} with {@code ifNoItem().after()} would end the wait too, but cancelling it cannot interrupt the blocking
 * call, which would then hold its thread and connection until the provider's own request timeout.
 */
@ApplicationScoped
public class AuxiliaryCaller implements AutoCloseable {

    /** What one call needs besides the model. */
    public record Call(TokenSource source, List<Message> messages, List<ToolDefinition> tools, Double temperature,
                       Double topP, Integer maxTokens, Duration timeout) {
        public Call {
            messages = List.copyOf(messages);
            tools = tools == null ? List.of() : List.copyOf(tools);
        }
    }

    /** The response and the usage that was reported (or estimated). */
    public record Answer(CompletionResponse response, Usage usage, long durationMs) {
        /** The text of the answer message, joined; empty when none. */
        public String text() {
            return response.message() == null ? "" : response.message().text();
        }
    }

    private final ContextWindows windows;
    /** At most one call per turn or compaction waits here at a time: its callers bound it. */
    private final ManagedExecutor executor = ManagedPools.bounded(ManagedPools.CALLER_BOUNDED);

    @Inject
    public AuxiliaryCaller(ContextWindows windows) {
        this.windows = windows;
    }

    /**
     * Calls {@code model}. Throws the provider's exception on failure, {@link AuxiliaryCallTimeoutException} on
     * timeout and {@link Cancellation.CancelledException} when the turn is cancelled.
     */
    public Answer call(ResolvedModel model, Call call, EventEmitter emitter, Cancellation cancellation, UsageSink sink) {
        cancellation.check();
        CompletionRequest request = new CompletionRequest(model.modelId(), call.messages(), call.tools(),
                call.temperature(), call.topP(), call.maxTokens(), List.of());
        long requestTokens = TokenEstimator.estimateRequest(null, call.messages(), call.tools());
        String selector = model.selector();
        emitter.emit(new SessionEvent.TokenEstimate(call.source(), selector, requestTokens,
                windows.usableBudgetOf(selector)));
        long start = System.nanoTime();
        CompletionResponse response = await(executor.submit(() -> model.provider().complete(request)), call.timeout(),
                cancellation);
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Usage usage = response.usage();
        if (usage == null) {
            long completion = response.message() == null ? 0 : TokenEstimator.estimate(response.message());
            usage = Usage.of(requestTokens, completion, null, null);
        }
        emitter.emit(new SessionEvent.TokenUsage(call.source(), selector, usage.promptTokens(),
                usage.completionTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(), durationMs));
        sink.add(usage);
        return new Answer(response, usage, durationMs);
    }

    private static <T> T await(Future<T> future, Duration timeout, Cancellation cancellation) {
        T value;
        try (Cancellation.Registration ignored = cancellation.onCancel(() -> future.cancel(true))) {
            value = timeout == null ? future.get() : future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (CancellationException e) {
            throw new Cancellation.CancelledException();
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AuxiliaryCallTimeoutException("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Cancellation.CancelledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause == null ? "auxiliary call failed" : cause.getMessage(), cause);
        } finally {
            if (cancellation.isCancelled()) {
                future.cancel(true);
            }
        }
        // An answer that raced a cancellation is discarded: the turn stops at this cancellation point.
        cancellation.check();
        return value;
    }

    @PreDestroy
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
