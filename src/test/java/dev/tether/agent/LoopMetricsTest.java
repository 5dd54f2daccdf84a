package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.tool.ReadTool;
import dev.tether.tool.ToolRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loop's meters count every event they read, by tag combination, whether the meter is new or kept. */
class LoopMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LoopMetrics metrics = new LoopMetrics(registry, new ToolRegistry(List.of(new ReadTool()), false));

    @Test
    void tokensAreSummedByModelSourceAndKind() {
        metrics.observe(new SessionEvent.TokenUsage(TokenSource.ROOT, "openai/a", 10, 2, null, null, 5));
        metrics.observe(new SessionEvent.TokenUsage(TokenSource.ROOT, "openai/a", 30, 4, 7L, null, 5));
        metrics.observe(new SessionEvent.TokenUsage(TokenSource.RLM_SUBCALL, "openai/a", 100, 1, null, null, 5));
        metrics.observe(new SessionEvent.TokenUsage(TokenSource.ROOT, "openai/b", 1000, 3, null, null, 5));

        assertEquals(40, tokens("openai/a", "root", "prompt"));
        assertEquals(6, tokens("openai/a", "root", "completion"));
        assertEquals(7, tokens("openai/a", "root", "cache_read"));
        assertEquals(100, tokens("openai/a", "rlm_subcall", "prompt"));
        assertEquals(1, tokens("openai/a", "rlm_subcall", "completion"));
        assertEquals(1000, tokens("openai/b", "root", "prompt"));
        // no cache figure reported, no cache_read series
        assertNull(registry.find("tether.tokens").tags("model", "openai/b", "kind", "cache_read").counter());
        assertEquals(7, registry.find("tether.tokens").counters().size());
    }

    @Test
    void toolDurationsAreTimedByToolAndOutcomeWithUnknownNamesAsOther() {
        metrics.observe(new SessionEvent.ToolCallComplete("c1", "read", "x", true, 20));
        metrics.observe(new SessionEvent.ToolCallComplete("c2", "read", "x", true, 40));
        metrics.observe(new SessionEvent.ToolCallComplete("c3", "read", "x", false, 5));
        metrics.observe(new SessionEvent.ToolCallComplete("c4", "invented", "x", false, 1));
        metrics.observe(new SessionEvent.ToolCallComplete("c5", "made_up", "x", false, 2));

        Timer ok = timer("read", "true");
        assertEquals(2, ok.count());
        assertEquals(60, ok.totalTime(TimeUnit.MILLISECONDS));
        assertEquals(1, timer("read", "false").count());
        Timer other = timer("other", "false");
        assertEquals(2, other.count());
        assertEquals(3, other.totalTime(TimeUnit.MILLISECONDS));
        assertEquals(3, registry.find("tether.tool.duration").timers().size());
    }

    private double tokens(String model, String source, String kind) {
        Counter c = registry.get("tether.tokens").tags("model", model, "source", source, "kind", kind).counter();
        return c.count();
    }

    private Timer timer(String tool, String success) {
        return registry.get("tether.tool.duration").tags("tool", tool, "success", success).timer();
    }
}
