package dev.tether.context;

/**
 * The answer of {@code GET /context}: the next request's estimate without sending or compacting anything.
 *
 * @param requestTokens estimate of the context the next step would send before any compaction (steps 1–3 of §6.3)
 * @param budget        the effective budget
 * @param window        the model's context window
 * @param usableBudget  the model's usable budget (before {@code budget_tokens} and halving)
 * @param wouldCompact  whether the next step would run a compaction
 * @param cachedSummary whether a cached compaction summary is in use
 */
public record ContextEstimate(String model, long requestTokens, long budget, long window, long usableBudget,
                              boolean wouldCompact, boolean cachedSummary) {

    /** {@code requestTokens / budget}, 0 when the budget is 0. */
    public double fraction() {
        return budget == 0 ? 0 : (double) requestTokens / budget;
    }
}
