package dev.tether.context;

import java.util.Locale;

/** How an RLM run ended (spec §7.4), classified in this order: aborted, failed, converged, exhausted. */
public enum RlmOutcome {
    /** The turn was cancelled. */
    ABORTED,
    /** A root-model error was recorded. */
    FAILED,
    /** A final answer exists. */
    CONVERGED,
    /** No final answer within the iterations. */
    EXHAUSTED;

    /** The wire value of {@code rlm_complete.outcome}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
