package dev.tether.agent;

import dev.tether.event.SessionEvent;
import dev.tether.tool.ToolRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Meters read off a turn's events: tokens by model and source ({@code tether.tokens}) and tool durations by tool
 * ({@code tether.tool.duration}). Tool names the registry does not know are tagged {@code other}, so a model inventing
 * names cannot blow up the tag set.
 */
final class LoopMetrics {

    private final MeterRegistry registry;
    private final ToolRegistry tools;

    LoopMetrics(MeterRegistry registry, ToolRegistry tools) {
        this.registry = registry;
        this.tools = tools;
    }

    void observe(SessionEvent event) {
        if (event instanceof SessionEvent.TokenUsage u) {
            String source = u.source().name().toLowerCase(Locale.ROOT);
            tokens(u.model(), source, "prompt").increment(u.promptTokens());
            tokens(u.model(), source, "completion").increment(u.completionTokens());
            if (u.cacheReadTokens() != null) {
                tokens(u.model(), source, "cache_read").increment(u.cacheReadTokens());
            }
        } else if (event instanceof SessionEvent.ToolCallComplete c) {
            String tool = tools.find(c.name()).isPresent() ? c.name() : "other";
            Timer.builder("tether.tool.duration").tag("tool", tool).tag("success", String.valueOf(c.success()))
                    .register(registry).record(Duration.ofMillis(c.durationMs()));
        }
    }

    private Counter tokens(String model, String source, String kind) {
        return Counter.builder("tether.tokens").tag("model", model).tag("source", source).tag("kind", kind)
                .register(registry);
    }
}
