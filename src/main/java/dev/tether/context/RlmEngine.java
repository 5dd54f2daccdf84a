package dev.tether.context;

import dev.tether.event.EventEmitter;
import dev.tether.session.Cancellation;
import dev.tether.session.RlmConfig;
import java.util.List;

/**
 * RLM (spec §7): routing of bulk tool outputs (§7.2), the iterative root-model loop with {@code rlm_lines},
 * {@code rlm_grep}, {@code rlm_subcall} and {@code FINAL} (§7.3), the smart-truncation fallback (§7.4), and summary
 * mode for compaction (§7.5). Runs synchronously on the caller's thread (inside the step); model calls go through
 * {@link AuxiliaryCaller}, so each one emits {@code token_estimate}/{@code token_usage} and reports its usage.
 *
 * <p>The entry point other packages see; the bean that implements it and its parts are in
 * {@code dev.tether.context.rlm}, which depends on this package and not the other way round.
 */
public interface RlmEngine {

    /**
     * One RLM run over {@code content}. {@code label} names the content in events and markers (the tool name);
     * {@code rootModel} and {@code subcallModel} are selectors ({@code subcallModel} null = root model).
     */
    record RlmRequest(String traceId, String content, String query, String label, String rootModel,
                      String subcallModel, int maxIterations, int maxSubcalls, EventEmitter emitter,
                      Cancellation cancellation, UsageSink usageSink) {
    }

    /**
     * Routing of one finished tool output (§7.2). {@code activeRequestText} is the text of the active user request
     * ({@link ActiveRequest#text}); {@code sessionModel} the session's selector.
     */
    record RouteRequest(String toolName, String output, String activeRequestText, String sessionModel,
                        RlmConfig rlm, EventEmitter emitter, Cancellation cancellation, UsageSink usageSink) {
    }

    /**
     * The body to store for a routed output (before the 4096-byte storage cap of §4.4) and the run's result. When
     * {@code result.outcome()} is {@code ABORTED} the body is the original output and the turn must end.
     */
    record RoutedOutput(String body, RlmResult result) {
    }

    /**
     * A compaction summary run (§7.5): the prefix as segments (one per message), summarised by {@code rootModel}.
     * Summary mode makes one call, so its progress events report {@code max_iterations} 1.
     */
    record SummaryRequest(String traceId, List<ChunkCompressor.Segment> content, String rootModel,
                          EventEmitter emitter, Cancellation cancellation, UsageSink usageSink) {
    }

    /**
     * Whether a finished tool output goes to RLM: mode not {@code off}; the tool's output kind is bulk; and mode
     * {@code always}, or the output is above {@code threshold × window}, or it would overflow
     * ({@code current + out > 0.8 × window} and {@code out ≥ 0.5 × (current + out)}).
     *
     * @param currentContextTokens estimate of the last derived context
     */
    boolean shouldRoute(RlmConfig rlm, boolean bulk, String output, String sessionModel, long currentContextTokens);

    /** Routes a tool output through RLM and renders the stored body (summary header or smart truncation). */
    RoutedOutput route(RouteRequest request);

    /** Runs the iterative loop; never throws for model errors or cancellation (see the outcome). */
    RlmResult run(RlmRequest request);

    /**
     * A summary run: no tools, the flattened content itself (chunk-compressed to
     * {@code min(40,000, usable/2)} tokens when larger), one call with {@code max_tokens} 4096; the first non-empty
     * reply (without a {@code FINAL(...)} wrapper) is the answer, an empty one makes the run {@code exhausted}.
     */
    RlmResult summarize(SummaryRequest request);
}
