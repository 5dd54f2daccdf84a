package dev.tether.context.rlm;

import dev.tether.context.AuxiliaryCaller;
import dev.tether.context.ChunkCompressor;
import dev.tether.context.RlmEngine.SummaryRequest;
import dev.tether.context.RlmOutcome;
import dev.tether.context.RlmResult;
import dev.tether.context.SummaryMessage;
import dev.tether.context.TokenEstimator;
import dev.tether.event.TokenSource;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import java.util.List;

/** Summary mode (spec §7.5): the compaction summary as one RLM run of one call, without tools. */
final class SummaryMode {

    /** Most tokens of prefix sent; a larger one is chunk-compressed (also to at most half the usable budget). */
    static final long INPUT_MAX = 40_000;

    static final String INSTRUCTION = "You condense the earlier part of a coding-agent session so that the "
            + "agent can continue without it. Write a briefing with: the user's goal and constraints; the current "
            + "state; recent actions and their results; files touched; exact errors, commands and identifiers that "
            + "matter; open tasks; next steps. Be specific and complete; output only the briefing.";

    private final RlmWiring wiring;

    SummaryMode(RlmWiring wiring) {
        this.wiring = wiring;
    }

    /** See {@link dev.tether.context.RlmEngine#summarize}. */
    RlmResult summarize(SummaryRequest req) {
        StringBuilder joined = new StringBuilder();
        for (ChunkCompressor.Segment s : req.content()) {
            if (joined.length() > 0) {
                joined.append('\n');
            }
            joined.append(s.text());
        }
        String content = joined.toString();
        RunRecord record = new RunRecord(req.traceId(), req.rootModel(), TokenEstimator.estimate(content),
                req.emitter(), req.usageSink(), wiring.meters());
        record.progress(0, 1, "started");
        ResolvedModel root;
        try {
            root = wiring.resolver().resolve(req.rootModel());
        } catch (RuntimeException e) {
            return record.end(RlmOutcome.FAILED, null, 0, 0, "root model unavailable: " + e.getMessage(), null);
        }
        long limit = Math.min(INPUT_MAX, wiring.windows().usableBudgetOf(root.selector()) / 2);
        if (record.inputTokens() > limit) {
            content = ChunkCompressor.compress(req.content(), limit);
        }
        record.progress(1, 1, "iterating");
        String text;
        try {
            text = wiring.caller().call(root, new AuxiliaryCaller.Call(TokenSource.RLM_ITERATION,
                            List.of(Message.of(Role.SYSTEM, new ContentPart.Text(INSTRUCTION)),
                                    Message.userText(content)), List.of(), IterativeLoop.TEMPERATURE, null,
                            (int) SummaryMessage.MAX_SUMMARY_TOKENS, null),
                    req.emitter(), req.cancellation(), record).text();
        } catch (Cancellation.CancelledException e) {
            return record.end(RlmOutcome.ABORTED, null, 1, 0, "the turn was cancelled", null);
        } catch (RuntimeException e) {
            return record.end(RlmOutcome.FAILED, null, 1, 0, "root model error: " + e.getMessage(), null);
        }
        String answer = FinalAnswer.unwrap(text == null ? "" : text);
        if (answer.isBlank()) {
            return record.end(RlmOutcome.EXHAUSTED, null, 1, 0, "the model returned an empty summary", null);
        }
        record.progress(1, 1, "finalizing");
        return record.end(RlmOutcome.CONVERGED, answer, 1, 0, null, null);
    }
}
