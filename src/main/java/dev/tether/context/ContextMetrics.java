package dev.tether.context;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Meters of context management, with bounded tags: {@code tether.compactions} (strategy, reason),
 * {@code tether.compaction.tokens.saved}. The meters of RLM runs are {@code dev.tether.context.rlm.RlmMeters}.
 */
final class ContextMetrics {

    private final MeterRegistry registry;

    ContextMetrics(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    }

    void compaction(String strategy, CompactionReason reason, long beforeTokens, long afterTokens) {
        Counter.builder("tether.compactions").description("Compactions by strategy and reason")
                .tag("strategy", strategy).tag("reason", reason.wireName()).register(registry).increment();
        DistributionSummary.builder("tether.compaction.tokens.saved").description("Estimated tokens saved per compaction")
                .baseUnit("tokens").register(registry).record(Math.max(0, beforeTokens - afterTokens));
    }
}
