package dev.tether.context;

import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.session.Cancellation;
import dev.tether.session.ContextPolicy;
import dev.tether.session.Message;
import dev.tether.session.RlmConfig;
import dev.tether.session.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives the context of every request from the transcript (spec §6.3), non-destructively: the stored transcript is
 * never modified. Runs the compaction pipeline (keep-last cascade with a model summary, chunk compression, terminal
 * truncation) with its events, and keeps the latest compaction per session in an in-memory cache valid for the model
 * and budget it was made for.
 */
@ApplicationScoped
public class ContextManager {

    private record Cached(String model, long budget, int split, Message summary, CompactionStrategy strategy) {
    }

    private final ContextWindows windows;
    private final RlmEngine rlm;
    private final ContextMetrics metrics;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    public ContextManager(ContextWindows windows, RlmEngine rlm, MeterRegistry registry) {
        this(windows, rlm, new ContextMetrics(registry));
    }

    ContextManager(ContextWindows windows, RlmEngine rlm, ContextMetrics metrics) {
        this.windows = windows;
        this.rlm = rlm;
        this.metrics = metrics;
    }

    /**
     * Derives the context to send (§6.3 steps 1–4). Emits compaction/RLM/token events only when a compaction runs.
     *
     * @throws Cancellation.CancelledException when the turn is cancelled during a summary run
     */
    public DerivedContext derive(DeriveRequest req) {
        Plan plan = plan(req, false);
        if (plan.fits() || req.metadata().contextPolicy().policy() == ContextPolicy.Policy.OFF) {
            return plan.context();
        }
        return compact(req, Compaction.CASCADE, false, plan.beforeTokens());
    }

    /**
     * A forced keep-last compaction (prompt-too-long attempts 2–4 with {@code keepLast} 6/3/1, or {@code manual}):
     * one split with the given {@code keepLast}, {@code compaction_completed} without a budget check, cached. When
     * nothing precedes the kept tail there is nothing to compact: the reduced context is returned without events
     * ({@code compaction} is null), so the loop's identical-context check skips the attempt.
     */
    public DerivedContext forceCompaction(DeriveRequest req, int keepLast) {
        Plan plan = plan(req, false);
        int s = Compaction.splitPoint(req.transcript().size(), ActiveRequest.indexOf(req.transcript()), keepLast);
        if (s == 0) {
            return plan.context();
        }
        return compact(req, List.of(keepLast), true, plan.beforeTokens());
    }

    /** {@code POST /compact}: forced keep-last-16 compaction with reason {@code manual}. */
    public DerivedContext compactNow(DeriveRequest req) {
        return forceCompaction(req.withReason(CompactionReason.MANUAL), Compaction.MANUAL_KEEP_LAST);
    }

    /** {@code POST /compact?dry_run=true}: what a manual compaction would do; no model call, no events, no cache. */
    public CompactionPreview previewCompaction(DeriveRequest req) {
        List<Message> transcript = req.transcript();
        long budget = budget(req);
        long before = plan(req, true).beforeTokens();
        int s = Compaction.splitPoint(transcript.size(), ActiveRequest.indexOf(transcript), Compaction.MANUAL_KEEP_LAST);
        CompactionStrategy strategy = req.metadata().rlm().mode() == RlmConfig.Mode.OFF
                ? CompactionStrategy.CHUNK_COMPRESS : CompactionStrategy.RLM;
        if (s == 0) {
            return new CompactionPreview(false, 0, transcript.size(), before, before, budget, strategy);
        }
        String text = ChunkCompressor.compress(SummaryMessage.segments(transcript.subList(0, s), 0), budget / 4);
        List<Message> candidate = candidate(transcript, s, SummaryMessage.build(transcript, s, text),
                windows.window(req.model()));
        return new CompactionPreview(true, s, candidate.size(), before, estimate(req, candidate), budget, strategy);
    }

    /** {@code GET /context}: the next request's estimate and budget; derives without sending, caches nothing. */
    public ContextEstimate estimate(DeriveRequest req) {
        Plan plan = plan(req, true);
        boolean wouldCompact = !plan.fits() && req.metadata().contextPolicy().policy() == ContextPolicy.Policy.AUTO;
        return new ContextEstimate(req.model(), plan.context().requestTokens(), plan.context().budget(),
                plan.context().window(), windows.usableBudgetOf(req.model()), wouldCompact, plan.context().fromCache());
    }

    /** The context-change hook (§8.4) and model/history changes: drops the session's cached compaction. */
    public void invalidate(String sessionId) {
        cache.remove(sessionId);
    }

    /** Session deletion: forgets everything held for it. */
    public void forget(String sessionId) {
        cache.remove(sessionId);
    }

    /** Whether a compaction is cached for the session (any model or budget). */
    public boolean hasCachedCompaction(String sessionId) {
        return cache.containsKey(sessionId);
    }

    // ---------------------------------------------------------------- steps 1–3

    /** The result of steps 1–3: the context to send if it fits, and the estimate a compaction starts from. */
    private record Plan(DerivedContext context, boolean fits, long beforeTokens) {
    }

    private Plan plan(DeriveRequest req, boolean readOnly) {
        List<Message> transcript = req.transcript();
        long window = windows.window(req.model());
        long budget = budget(req);
        Cached cached = validCache(req, budget, readOnly);
        List<Message> base = transcript;
        if (cached != null) {
            base = new ArrayList<>(transcript.size() - cached.split() + 1);
            base.add(cached.summary());
            base.addAll(transcript.subList(cached.split(), transcript.size()));
        }
        List<Message> ctx = PairingRepair.repair(base);
        long tokens = estimate(req, ctx);
        if (tokens <= budget || req.metadata().contextPolicy().policy() == ContextPolicy.Policy.OFF) {
            return new Plan(new DerivedContext(ctx, tokens, budget, window, null, cached != null, Usage.ZERO),
                    tokens <= budget, tokens);
        }
        List<Message> reduced = PairingRepair.repair(Reductions.apply(base, window));
        long reducedTokens = estimate(req, reduced);
        return new Plan(new DerivedContext(reduced, reducedTokens, budget, window, null, cached != null, Usage.ZERO),
                reducedTokens <= budget, tokens);
    }

    private Cached validCache(DeriveRequest req, long budget, boolean readOnly) {
        Cached c = cache.get(req.sessionId());
        if (c == null) {
            return null;
        }
        if (!c.model().equals(req.model()) || c.budget() != budget || c.split() > req.transcript().size()) {
            if (!readOnly) {
                // a model or budget change invalidates it (§6.3); estimates and dry runs never change the cache
                cache.remove(req.sessionId(), c);
            }
            return null;
        }
        return c;
    }

    // ---------------------------------------------------------------- step 4: compaction (§6.6–§6.9)

    private DerivedContext compact(DeriveRequest req, List<Integer> keeps, boolean forced, long before) {
        List<Message> transcript = req.transcript();
        EventEmitter emitter = req.emitter();
        long window = windows.window(req.model());
        long budget = budget(req);
        String trace = UUID.randomUUID().toString();
        CompactionReason reason = req.reason();
        emitter.emit(new SessionEvent.CompactionStarted(trace, reason.wireName(), before, budget));

        RlmConfig rlmConfig = req.metadata().rlm();
        boolean chunkOnly = rlmConfig.mode() == RlmConfig.Mode.OFF;
        String rootModel = rlmConfig.rootModel() != null ? rlmConfig.rootModel() : req.model();
        int active = ActiveRequest.indexOf(transcript);
        Usage usage = Usage.ZERO;
        int previous = -1;
        for (int keep : keeps) {
            req.cancellation().check();
            int s = Compaction.splitPoint(transcript.size(), active, keep);
            if (s == 0 || s == previous) {
                continue;
            }
            previous = s;
            List<Message> prefix = transcript.subList(0, s);
            String text = null;
            CompactionStrategy strategy = CompactionStrategy.CHUNK_COMPRESS;
            if (!chunkOnly) {
                RlmResult summary = rlm.summarize(new RlmEngine.SummaryRequest(trace, SummaryMessage.segments(prefix, 0),
                        rootModel, emitter, req.cancellation(), req.usageSink()));
                usage = usage.plus(summary.usage());
                if (summary.outcome() == RlmOutcome.ABORTED) {
                    throw new Cancellation.CancelledException();
                }
                if (summary.converged()) {
                    text = summary.answer();
                    strategy = CompactionStrategy.RLM;
                } else {
                    // once the model summary failed, the rest of this compaction uses chunk compression (§6.6)
                    chunkOnly = true;
                    emitter.emit(new SessionEvent.CompactionFailed(trace, CompactionStrategy.CHUNK_COMPRESS.wireName(),
                            "summary failed: " + summary.reason(), before, budget));
                }
            }
            if (text == null) {
                text = ChunkCompressor.compress(SummaryMessage.segments(prefix, 0), budget / 4);
            }
            Message summaryMessage = SummaryMessage.build(transcript, s, text);
            List<Message> candidate = candidate(transcript, s, summaryMessage, window);
            long after = estimate(req, candidate);
            if (forced || after <= budget) {
                emitter.emit(new SessionEvent.CompactionCompleted(trace, strategy.wireName(), before, after,
                        candidate.size()));
                cache.put(req.sessionId(), new Cached(req.model(), budget, s, summaryMessage, strategy));
                metrics.compaction(strategy.wireName(), reason, before, after);
                return new DerivedContext(candidate, after, budget, window,
                        new DerivedContext.CompactionResult(trace, reason, strategy, true, s, before, after,
                                candidate.size()), false, usage);
            }
        }
        req.cancellation().check();
        TerminalTruncation.Result r = TerminalTruncation.truncate(transcript, window, budget, req.systemPrompt(),
                req.tools());
        emitter.emit(new SessionEvent.ContextTruncated(trace, before - r.requestTokens(), r.messages().size(), null));
        if (r.fits()) {
            emitter.emit(new SessionEvent.CompactionCompleted(trace, CompactionStrategy.TRUNCATE.wireName(), before,
                    r.requestTokens(), r.messages().size()));
        } else {
            emitter.emit(new SessionEvent.CompactionFailed(trace, null,
                    "context still exceeds the budget after terminal truncation", r.requestTokens(), budget));
        }
        metrics.compaction(CompactionStrategy.TRUNCATE.wireName(), reason, before, r.requestTokens());
        return new DerivedContext(r.messages(), r.requestTokens(), budget, window,
                new DerivedContext.CompactionResult(trace, reason, CompactionStrategy.TRUNCATE, r.fits(), -1, before,
                        r.requestTokens(), r.messages().size()), false, usage);
    }

    /** {@code [summary] + transcript[s..]}, then the §6.5 rules, then pairing repair. */
    private static List<Message> candidate(List<Message> transcript, int s, Message summary, long window) {
        List<Message> base = new ArrayList<>(transcript.size() - s + 1);
        base.add(summary);
        base.addAll(transcript.subList(s, transcript.size()));
        return PairingRepair.repair(Reductions.apply(base, window));
    }

    private long budget(DeriveRequest req) {
        return windows.effectiveBudget(req.model(), req.metadata().contextPolicy(), req.budgetHalved());
    }

    private static long estimate(DeriveRequest req, List<Message> messages) {
        return TokenEstimator.estimateRequest(req.systemPrompt(), messages, req.tools());
    }
}
