package dev.tether.context.rlm;

import dev.tether.context.RlmOutcome;
import dev.tether.context.RlmResult;
import dev.tether.context.TokenEstimator;
import dev.tether.context.UsageSink;
import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.session.Usage;

/**
 * What one RLM run reports (spec §7.4): its {@code rlm_progress} events, the sum of its usage (each delta passed on to
 * the caller's sink as it comes), and its end: the {@code rlm_complete} event, the meters and the {@link RlmResult}.
 */
final class RunRecord implements UsageSink {

    private final String traceId;
    private final String rootModel;
    private final long inputTokens;
    private final EventEmitter emitter;
    private final UsageSink downstream;
    private final RlmMeters meters;
    private final long startNanos = System.nanoTime();
    private Usage total = Usage.ZERO;

    RunRecord(String traceId, String rootModel, long inputTokens, EventEmitter emitter, UsageSink downstream,
              RlmMeters meters) {
        this.traceId = traceId;
        this.rootModel = rootModel;
        this.inputTokens = inputTokens;
        this.emitter = emitter;
        this.downstream = downstream == null ? UsageSink.NONE : downstream;
        this.meters = meters;
    }

    @Override
    public void add(Usage usage) {
        total = total.plus(usage);
        downstream.add(usage);
    }

    long inputTokens() {
        return inputTokens;
    }

    void progress(int iteration, int maxIterations, String status) {
        emitter.emit(new SessionEvent.RlmProgress(traceId, iteration, maxIterations, status));
    }

    /** Ends the run; {@code answer} is kept only when it converged. */
    RlmResult end(RlmOutcome outcome, String answer, int iterations, int subcalls, String reason,
                  String subcallModelUsed) {
        String kept = outcome == RlmOutcome.CONVERGED ? answer : null;
        long outputTokens = kept == null ? 0 : TokenEstimator.estimate(kept);
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        emitter.emit(new SessionEvent.RlmComplete(traceId, outcome.wireName(), iterations, subcalls, inputTokens,
                outputTokens, elapsedMs, reason, rootModel, subcallModelUsed));
        meters.run(outcome, iterations);
        return new RlmResult(traceId, outcome, kept, iterations, subcalls, inputTokens, outputTokens, elapsedMs,
                reason, rootModel, subcallModelUsed, total);
    }
}
