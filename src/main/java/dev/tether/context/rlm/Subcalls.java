package dev.tether.context.rlm;

import dev.tether.context.AuxiliaryCaller;
import dev.tether.context.RlmEngine.RlmRequest;
import dev.tether.context.SummaryMessage;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import java.util.List;

/**
 * The {@code rlm_subcall}s of one run (spec §7.3): the budget, the sub-call model (resolved once, on the first
 * sub-call, falling back to the root model with an {@code rlm_subcall_fallback} event), and the calls themselves.
 */
final class Subcalls {

    /** The tool result of a sub-call over the budget. */
    static final String BUDGET_EXHAUSTED = "sub-call budget exhausted; call FINAL now";

    private final RlmRequest req;
    private final RlmWiring wiring;
    private final RunRecord record;
    private ResolvedModel model;
    private boolean resolved;
    private int count;
    private String usedSelector;

    Subcalls(RlmRequest req, RlmWiring wiring, RunRecord record) {
        this.req = req;
        this.wiring = wiring;
        this.record = record;
    }

    int count() {
        return count;
    }

    /** The selector of the sub-calls that returned; null when none did. */
    String usedSelector() {
        return usedSelector;
    }

    /**
     * Answers one {@code rlm_subcall} at {@code iteration}: the budget message when spent, else the helper model's
     * answer (or why it failed).
     *
     * @throws Cancellation.CancelledException when the turn is cancelled during the call
     */
    String call(ResolvedModel root, ContentPart.ToolCall call, String[] lines, int iteration) {
        if (count >= req.maxSubcalls()) {
            return BUDGET_EXHAUSTED;
        }
        count++;
        record.progress(iteration, req.maxIterations(), "subcall");
        resolve(root);
        String answer = ask(call, lines);
        usedSelector = model.selector();
        return answer;
    }

    private String ask(ContentPart.ToolCall call, String[] lines) {
        RlmTools.Arguments parsed = RlmTools.parse(wiring.json(), call);
        if (parsed.error() != null) {
            return parsed.error();
        }
        int from = Math.max(1, parsed.object().path("start").asInt(1));
        int to = Math.min(lines.length, parsed.object().path("end").asInt(lines.length));
        StringBuilder slice = new StringBuilder();
        for (int i = from; i <= to; i++) {
            slice.append(lines[i - 1]).append('\n');
        }
        String text = SummaryMessage.limit(slice.toString(), wiring.windows().usableBudgetOf(model.selector()) / 2);
        String prompt = "Answer the question about the content below. Be concise and exact.\n\nQuestion: "
                + parsed.object().path("question").asText("") + "\n\nContent (lines " + from + "–" + to + "):\n"
                + text;
        try {
            return wiring.caller().call(model, new AuxiliaryCaller.Call(TokenSource.RLM_SUBCALL,
                    List.of(Message.userText(prompt)), List.of(), IterativeLoop.TEMPERATURE, null,
                    IterativeLoop.CALL_MAX_TOKENS, null), req.emitter(), req.cancellation(), record).text();
        } catch (Cancellation.CancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            return "sub-call failed: " + e.getMessage();
        }
    }

    private void resolve(ResolvedModel root) {
        if (resolved) {
            return;
        }
        resolved = true;
        model = root;
        if (req.subcallModel() != null && !req.subcallModel().isBlank()) {
            try {
                model = wiring.resolver().resolve(req.subcallModel());
            } catch (RuntimeException e) {
                req.emitter().emit(new SessionEvent.RlmSubcallFallback(req.subcallModel(), root.selector(),
                        e.getMessage()));
            }
        }
    }
}
