package dev.tether.agent;

import dev.tether.event.SessionEvent;
import dev.tether.tool.ToolRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Meters read off a turn's events: tokens by model and source ({@code tether.tokens}) and tool durations by tool
 * ({@code tether.tool.duration}). Tool names the registry does not know are tagged {@code other}, so a model inventing
 * names cannot blow up the tag set.
 *
 * <p>Every meter is resolved once per tag combination and kept: building and registering a meter (its id, sorted
 * tags, the registry's lookup) costs far more than recording on it, and this runs on the turn thread for every call.
 */
final class LoopMetrics {

    private final MeterRegistry registry;
    private final ToolRegistry tools;
    private final Map<String, Counter> tokens = new ConcurrentHashMap<>();
    private final Map<String, Timer> succeeded = new ConcurrentHashMap<>();
    private final Map<String, Timer> failed = new ConcurrentHashMap<>();

    LoopMetrics(MeterRegistry registry, ToolRegistry tools) {
        this.registry = registry;
        this.tools = tools;
    }

    void observe(SessionEvent event) {
        if (event instanceof SessionEvent.TokenUsage u) {
            tokens(u, "prompt").increment(u.promptTokens());
            tokens(u, "completion").increment(u.completionTokens());
            if (u.cacheReadTokens() != null) {
                tokens(u, "cache_read").increment(u.cacheReadTokens());
            }
        } else if (event instanceof SessionEvent.ToolCallComplete c) {
            String tool = tools.find(c.name()).isPresent() ? c.name() : "other";
            (c.success() ? succeeded : failed).computeIfAbsent(tool, t -> toolTimer(t, c.success()))
                    .record(c.durationMs(), TimeUnit.MILLISECONDS);
        }
    }

    private Counter tokens(SessionEvent.TokenUsage u, String kind) {
        // kind and source are closed sets without spaces, so the key names one combination
        return tokens.computeIfAbsent(kind + ' ' + u.source().name() + ' ' + u.model(),
                k -> Counter.builder("tether.tokens").tag("model", u.model())
                        .tag("source", u.source().name().toLowerCase(Locale.ROOT)).tag("kind", kind)
                        .register(registry));
    }

    private Timer toolTimer(String tool, boolean success) {
        return Timer.builder("tether.tool.duration").tag("tool", tool).tag("success", String.valueOf(success))
                .register(registry);
    }
}
