package dev.tether.context.rlm;

import dev.tether.context.RlmOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Meters of RLM runs, with bounded tags: {@code tether.rlm.runs} (outcome), {@code tether.rlm.iterations}. */
final class RlmMeters {

    private final MeterRegistry registry;

    RlmMeters(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    }

    void run(RlmOutcome outcome, int iterations) {
        Counter.builder("tether.rlm.runs").description("RLM runs by outcome").tag("outcome", outcome.wireName())
                .register(registry).increment();
        DistributionSummary.builder("tether.rlm.iterations").description("Root-model iterations per RLM run")
                .register(registry).record(iterations);
    }
}
