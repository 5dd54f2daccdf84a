package dev.tether.context;

import dev.tether.session.Usage;

/**
 * The end of an RLM run, as reported by {@code rlm_complete} (spec §7.4). {@code answer} is set only for
 * {@link RlmOutcome#CONVERGED}; {@code usage} is the sum of the run's model calls (already given to the
 * {@link UsageSink} call by call).
 */
public record RlmResult(String traceId, RlmOutcome outcome, String answer, int iterations, int subcalls,
                        long inputTokens, long outputTokens, long elapsedMs, String reason, String rootModel,
                        String subcallModelUsed, Usage usage) {

    public boolean converged() {
        return outcome == RlmOutcome.CONVERGED;
    }
}
