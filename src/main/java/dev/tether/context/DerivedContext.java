package dev.tether.context;

import dev.tether.session.Message;
import dev.tether.session.Usage;
import java.util.List;

/**
 * The context to send for one request (never stored): {@code messages} go after the system prompt.
 *
 * @param requestTokens estimate of system prompt + messages + tools (the {@code token_estimate} value)
 * @param budget        the effective budget used (the {@code token_estimate.budget} of loop requests)
 * @param window        the model's context window
 * @param compaction    what the compaction that ran for this derivation did; {@code null} when none ran
 * @param fromCache     whether a cached summary was reused
 * @param usage         sum of the summary calls made (already given to the {@link UsageSink})
 */
public record DerivedContext(List<Message> messages, long requestTokens, long budget, long window,
                             CompactionResult compaction, boolean fromCache, Usage usage) {

    public DerivedContext {
        messages = List.copyOf(messages);
        usage = usage == null ? Usage.ZERO : usage;
    }

    /** Whether the request is over budget (it is still sent; the provider judges). */
    public boolean overBudget() {
        return requestTokens > budget;
    }

    /**
     * A compaction run.
     *
     * @param strategy    what produced the context ({@code truncate} for terminal truncation)
     * @param fits        false only when even terminal truncation did not fit ({@code compaction_failed
     *                    {fell_back_to: null}})
     * @param splitIndex  first transcript index kept verbatim ({@code -1} for terminal truncation)
     */
    public record CompactionResult(String traceId, CompactionReason reason, CompactionStrategy strategy, boolean fits,
                                   int splitIndex, long beforeTokens, long afterTokens, int keptMessages) {
    }
}
