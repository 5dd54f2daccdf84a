package dev.tether.context.rlm;

import dev.tether.context.AuxiliaryCaller;
import dev.tether.context.RlmEngine.RlmRequest;
import dev.tether.context.RlmOutcome;
import dev.tether.context.RlmResult;
import dev.tether.context.TokenEstimator;
import dev.tether.event.TokenSource;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The iterative root-model loop (spec §7.3, §7.4): the root model inspects the content through {@link RlmTools} and
 * {@link Subcalls} until it gives a {@link FinalAnswer}, a long plain answer from iteration 3 on, or the iterations
 * run out. Never throws for model errors or cancellation: they end the run with its outcome.
 */
final class IterativeLoop {

    static final double TEMPERATURE = 0.2;
    static final int CALL_MAX_TOKENS = 4096;
    static final int LONG_TEXT_ACCEPT_ITERATION = 3;
    static final int LONG_TEXT_ACCEPT_CHARS = 500;
    /** The user message after a reply with neither tool calls nor an answer. */
    static final String CONTINUE = "Continue. Call FINAL(\"your answer\") when ready.";

    private final RlmWiring wiring;

    IterativeLoop(RlmWiring wiring) {
        this.wiring = wiring;
    }

    RlmResult run(RlmRequest req) {
        return new Run(req).execute();
    }

    /** The state of one run. */
    private final class Run {
        private final RlmRequest req;
        private final String content;
        private final String[] lines;
        private final RunRecord record;
        private final Subcalls subcalls;
        private final List<Message> conversation = new ArrayList<>();
        private int iterations;
        private String answer;
        private String error;
        private boolean aborted;

        Run(RlmRequest req) {
            this.req = req;
            this.content = req.content() == null ? "" : req.content();
            this.lines = content.split("\n", -1);
            this.record = new RunRecord(req.traceId(), req.rootModel(), TokenEstimator.estimate(content),
                    req.emitter(), req.usageSink(), wiring.meters());
            this.subcalls = new Subcalls(req, wiring, record);
        }

        RlmResult execute() {
            int max = req.maxIterations();
            record.progress(0, max, "started");
            ResolvedModel root = null;
            try {
                root = wiring.resolver().resolve(req.rootModel());
            } catch (RuntimeException e) {
                error = "root model unavailable: " + e.getMessage();
            }
            conversation.add(Message.userText(InitialPrompt.of(content, lines, record.inputTokens(), req.query())));
            while (root != null && answer == null && error == null && !aborted && iterations < max) {
                if (req.cancellation().isCancelled()) {
                    aborted = true;
                    break;
                }
                iterations++;
                record.progress(iterations, max, "iterating");
                Message reply = ask(root);
                if (reply != null) {
                    take(root, reply);
                }
            }
            if (req.cancellation().isCancelled()) {
                aborted = true;
            }
            RlmOutcome outcome = aborted ? RlmOutcome.ABORTED : error != null ? RlmOutcome.FAILED
                    : answer != null ? RlmOutcome.CONVERGED : RlmOutcome.EXHAUSTED;
            String reason = switch (outcome) {
                case ABORTED -> "the turn was cancelled";
                case FAILED -> error;
                case EXHAUSTED -> "no final answer after " + iterations + " iterations";
                case CONVERGED -> null;
            };
            return record.end(outcome, answer, iterations, subcalls.count(), reason, subcalls.usedSelector());
        }

        /** One root-model call; null when it was cancelled or failed (the run then ends). */
        private Message ask(ResolvedModel root) {
            try {
                Message reply = wiring.caller().call(root, new AuxiliaryCaller.Call(TokenSource.RLM_ITERATION, conversation,
                                RlmTools.DEFINITIONS, TEMPERATURE, null, CALL_MAX_TOKENS, null), req.emitter(),
                        req.cancellation(), record).response().message();
                return reply == null ? Message.assistantText("") : reply;
            } catch (Cancellation.CancelledException e) {
                aborted = true;
            } catch (RuntimeException e) {
                error = "root model error: " + e.getMessage();
            }
            return null;
        }

        /** A reply: the final answer, tool calls to answer, an accepted long text, or a nudge to continue. */
        private void take(ResolvedModel root, Message reply) {
            Optional<String> fin = FinalAnswer.of(wiring.json(), reply);
            if (fin.isPresent()) {
                finish(fin.get());
                return;
            }
            if (!reply.toolCalls().isEmpty()) {
                answerToolCalls(root, reply);
                return;
            }
            String text = reply.text();
            if (iterations >= LONG_TEXT_ACCEPT_ITERATION && text.length() > LONG_TEXT_ACCEPT_CHARS
                    && !text.contains("```")) {
                finish(text);
                return;
            }
            conversation.add(reply.content().isEmpty() ? Message.assistantText("") : reply);
            conversation.add(Message.userText(CONTINUE));
        }

        private void finish(String finalAnswer) {
            answer = finalAnswer;
            record.progress(iterations, req.maxIterations(), "finalizing");
        }

        /** Gives every call an id, runs the calls in order and adds the results; a cancelled sub-call aborts. */
        private void answerToolCalls(ResolvedModel root, Message reply) {
            List<ContentPart> parts = new ArrayList<>();
            for (ContentPart p : reply.content()) {
                if (p instanceof ContentPart.ToolCall c && (c.id() == null || c.id().isBlank())) {
                    p = new ContentPart.ToolCall("call_" + UUID.randomUUID(), c.name(), c.arguments());
                }
                parts.add(p);
            }
            conversation.add(new Message(Role.ASSISTANT, parts));
            List<Message> results = new ArrayList<>();
            for (ContentPart p : parts) {
                if (!(p instanceof ContentPart.ToolCall c)) {
                    continue;
                }
                String out;
                if (RlmTools.SUBCALL.equals(c.name())) {
                    try {
                        out = subcalls.call(root, c, lines, iterations);
                    } catch (Cancellation.CancelledException e) {
                        aborted = true;
                        return;
                    }
                } else {
                    RlmTools.Arguments args = RlmTools.parse(wiring.json(), c);
                    out = args.error() != null ? args.error() : RlmTools.execute(c.name(), args.object(), lines);
                }
                results.add(Message.toolResult(c.id(), out));
            }
            conversation.addAll(results);
        }
    }
}
