package dev.tether.context.rlm;

import dev.tether.context.ContextWindows;
import dev.tether.context.RlmEngine.RlmRequest;
import dev.tether.context.RlmEngine.RouteRequest;
import dev.tether.context.RlmEngine.RoutedOutput;
import dev.tether.context.RlmResult;
import dev.tether.context.TokenEstimator;
import dev.tether.session.RlmConfig;
import java.util.UUID;

/**
 * Routing of bulk tool outputs through RLM (spec §7.2): the decision, the run on the output with the active request
 * as query, and the stored body — the summary with its header, the smart truncation when the run did not converge,
 * the real output when it was aborted.
 */
final class OutputRouting {

    /** Code points of the active request quoted in the query. */
    static final int QUERY_CHARS = 500;

    private final ContextWindows windows;
    private final IterativeLoop loop;

    OutputRouting(ContextWindows windows, IterativeLoop loop) {
        this.windows = windows;
        this.loop = loop;
    }

    /** See {@link dev.tether.context.RlmEngine#shouldRoute}. */
    boolean shouldRoute(RlmConfig rlm, boolean bulk, String output, String sessionModel, long currentContextTokens) {
        if (rlm.mode() == RlmConfig.Mode.OFF || !bulk) {
            return false;
        }
        if (rlm.mode() == RlmConfig.Mode.ALWAYS) {
            return true;
        }
        long window = windows.window(sessionModel);
        long out = TokenEstimator.estimate(output);
        if (out > rlm.threshold() * window) {
            return true;
        }
        long projected = currentContextTokens + out;
        return projected > 0.8 * window && out >= 0.5 * projected;
    }

    RoutedOutput route(RouteRequest req) {
        RlmConfig rlm = req.rlm();
        String root = rlm.rootModel() != null ? rlm.rootModel() : req.sessionModel();
        String active = req.activeRequestText() == null ? "" : req.activeRequestText();
        if (active.codePointCount(0, active.length()) > QUERY_CHARS) {
            active = active.substring(0, active.offsetByCodePoints(0, QUERY_CHARS));
        }
        String query = "Extract what is relevant to the user's current request: " + active;
        RlmResult result = loop.run(new RlmRequest(UUID.randomUUID().toString(), req.output(), query, req.toolName(),
                root, rlm.subcallModel(), rlm.maxIterations(), rlm.maxSubcalls(), req.emitter(), req.cancellation(),
                req.usageSink()));
        String body = switch (result.outcome()) {
            case CONVERGED -> "[RLM summary of " + req.toolName() + " output: " + result.inputTokens() + " → "
                    + result.outputTokens() + " tokens, " + result.iterations() + " iterations, " + result.subcalls()
                    + " sub-calls]\n" + result.answer();
            case ABORTED -> req.output();
            case FAILED, EXHAUSTED -> SmartTruncation.apply(req.output(), req.toolName());
        };
        return new RoutedOutput(body, result);
    }
}
