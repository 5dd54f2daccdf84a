package dev.tether.agent;

import dev.tether.config.TetherConfig;
import dev.tether.context.ActiveRequest;
import dev.tether.context.CompactionReason;
import dev.tether.context.ContextManager;
import dev.tether.context.DeriveRequest;
import dev.tether.context.DerivedContext;
import dev.tether.context.RlmEngine;
import dev.tether.context.RlmOutcome;
import dev.tether.context.TitleGenerator;
import dev.tether.context.TokenEstimator;
import dev.tether.context.UsageSink;
import dev.tether.tool.OutputKind;
import dev.tether.tool.ToolOutputs;
import dev.tether.tool.WorkspaceRoot;
import java.nio.file.Path;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.ProviderException;
import dev.tether.provider.ResolvedModel;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.Titles;
import dev.tether.session.Usage;
import dev.tether.session.store.SessionWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs one turn (spec §3.2–§3.10) on a turn thread (never the event loop or the HTTP worker pool): appends the user
 * message, names the session, runs steps until convergence, the step limit, cancellation or an error, persists
 * everything and emits exactly one terminal event.
 * Never throws for what happens after the preconditions: the outcome is the {@link SessionResult}.
 */
final class TurnRunner {

    private static final Logger LOG = Logger.getLogger(TurnRunner.class);
    static final int[] PLAN_KEEP_LAST = {6, 3, 1};

    private final Deps deps;
    private final SessionWriter writer;
    private final TurnEmitter emitter;
    private final Cancellation cancellation;
    private final PreparedPrompt prompt;
    private final Clock clock;
    private final Runnable release;
    /** The prompt's Idempotency-Key, or null. */
    private final TurnKey key;

    private int steps;
    private final StringBuilder answer = new StringBuilder();
    private boolean halvedBudget;
    private boolean keyRecorded;
    private long lastRequestTokens;

    /** Everything a turn uses, wired once by {@link AgentService}. */
    record Deps(TetherConfig config, ContextManager context, RlmEngine rlm, TitleGenerator titles,
                ToolCallExecutor executor, SystemPrompts prompts, ProviderCaller caller,
                MeterRegistry meters, WorkspaceRoot workspaceRoot,
                ContextChangeHook contextChanges) {
    }

    /** Whether a derivation committed a compaction: a summary now stands for a prefix (cached, §6.3). */
    static boolean committed(DerivedContext derived) {
        return derived.compaction() != null && derived.compaction().splitIndex() >= 0;
    }

    /**
     * @param release frees what the turn holds (sink, writer, slot); run after the terminal event is recorded and
     *                before it is delivered
     */
    TurnRunner(Deps deps, SessionWriter writer, TurnEmitter emitter, Cancellation cancellation, PreparedPrompt prompt,
               Clock clock, Runnable release, TurnKey key) {
        this.release = release;
        this.deps = deps;
        this.writer = writer;
        this.emitter = emitter;
        this.cancellation = cancellation;
        this.prompt = prompt;
        this.clock = clock;
        this.key = key;
    }

    SessionResult run() {
        Timer.Sample sample = Timer.start(deps.meters());
        TerminalReason reason;
        String error = null;
        boolean namingInterrupted = false;
        TurnDeadline deadline = new TurnDeadline(deps.config().agent().maxTurnDuration(), cancellation);
        try {
            Session session = writer.current();
            if (prompt.modelOverride() != null) {
                writer.updateMeta(session.title(), session.metadata().withModel(prompt.modelOverride()),
                        session.usage(), clock.instant());
            }
            appendUserMessage();
            if (writer.current().title() == null) {
                namingInterrupted = true;
                nameSession();
                namingInterrupted = false;
            }
            reason = runSteps();
        } catch (Cancellation.CancelledException e) {
            reason = deadline.expired() ? TerminalReason.ERROR : TerminalReason.ABORTED;
            error = deadline.expired() ? deadline.message() : null;
            if (namingInterrupted) {
                applyHeuristicTitle();
            }
        } catch (ProviderException e) {
            reason = TerminalReason.ERROR;
            error = e.getMessage();
        } catch (RuntimeException e) {
            LOG.errorf(e, "turn on session %s failed", writer.current().id());
            reason = TerminalReason.ERROR;
            error = e.getMessage() == null ? "internal error" : e.getMessage();
        } finally {
            deadline.close();
        }
        try {
            persistUsage();
        } catch (RuntimeException e) {
            // the store failed (disk full, permission): the turn still ends with exactly one terminal event
            LOG.errorf(e, "session %s: could not persist the end of the turn", writer.current().id());
            reason = TerminalReason.ERROR;
            error = e.getMessage() == null ? "the store failed" : e.getMessage();
        }
        SessionResult result = new SessionResult(answer.toString().trim(), writer.current().id(), reason, steps,
                emitter.usage(), error);
        recordKeyedResult(result);
        emitter.emitTerminal(reason == TerminalReason.ERROR ? new SessionEvent.Error(error, result)
                : new SessionEvent.Done(result), release);
        sample.stop(deps.meters().timer("tether.prompt.duration", "terminal_reason", reason.name().toLowerCase()));
        return result;
    }

    /** The user message, with the prompt's Idempotency-Key in the same journal record when it has one. */
    private void appendUserMessage() {
        if (key == null) {
            writer.appendMessage(prompt.userMessage(), clock.instant());
            durabilityPoint();
            return;
        }
        Instant at = clock.instant();
        long seq = writer.appendKeyedPrompt(prompt.userMessage(), at, key.key(), key.requestHash(),
                at.plus(key.retention()));
        keyRecorded = true;
        durabilityPoint();
        key.onRecorded().accept(seq);
    }

    /** A retry with the key gets this result from the journal, also after a restart: recorded before {@code done}. */
    private void recordKeyedResult(SessionResult result) {
        if (!keyRecorded) {
            return;
        }
        try {
            writer.recordTurnResult(key.key(), result);
        } catch (RuntimeException e) {
            LOG.errorf(e, "session %s: could not record the result of the turn of Idempotency-Key %s",
                    writer.current().id(), key.key());
        }
    }

    private void nameSession() {
        Session session = writer.current();
        TitleGenerator.TitleResult title = deps.titles().generate(new TitleGenerator.TitleRequest(session.messages(),
                prompt.model().selector(), emitter, cancellation, UsageSink.NONE));
        if (title.title() != null) {
            Session now = writer.current();
            writer.updateMeta(title.title(), now.metadata(), now.usage(), clock.instant());
        }
        if (title.cancelled()) {
            throw new Cancellation.CancelledException();
        }
    }

    private void applyHeuristicTitle() {
        Session now = writer.current();
        Titles.heuristic(now.messages()).ifPresent(t -> writer.updateMeta(t, now.metadata(), now.usage(),
                clock.instant()));
    }

    /** Session usage = usage before the turn + every delta of the turn so far. */
    private void persistUsage() {
        Session now = writer.current();
        Usage total = prompt.usageBefore().plus(emitter.usage());
        if (!total.equals(now.usage())) {
            writer.updateMeta(now.title(), now.metadata(), total, null);
        }
    }

    private TerminalReason runSteps() {
        List<ToolDefinition> toolDefinitions = prompt.toolDefinitions();
        while (true) {
            cancellation.check();
            steps++;
            Timer.Sample stepSample = Timer.start(deps.meters());
            emitter.emit(new SessionEvent.Thinking());
            ProviderCaller.Result result = callWithPlan(toolDefinitions);
            CompletionResponse response = result.response();
            Message assistant = response.message();
            emitter.emit(new SessionEvent.UsageReport(result.usage().promptTokens(), result.usage().completionTokens(),
                    result.durationMs(), prompt.model().selector()));
            String thinking = thinkingText(assistant);
            String text = assistant.text();
            if (!thinking.isEmpty()) {
                emitter.emit(new SessionEvent.ThinkingComplete(thinking));
            }
            if (!text.isBlank()) {
                emitter.emit(new SessionEvent.TextComplete(text));
            }
            writer.appendMessage(assistant, clock.instant());
            persistUsage();
            List<ContentPart.ToolCall> calls = assistant.toolCalls();
            stepSample.stop(deps.meters().timer("tether.step.duration"));
            if (calls.isEmpty()) {
                answer.append(text).append('\n');
                return TerminalReason.COMPLETED;
            }
            runTools(calls);
            if (steps >= prompt.maxSteps()) {
                return TerminalReason.MAX_STEPS;
            }
        }
    }

    private void runTools(List<ContentPart.ToolCall> calls) {
        Session session = writer.current();
        String directory = session.metadata().directory();
        ToolContextFactory contexts = ToolContextFactory.of(session.id(), directory == null ? null : Path.of(directory),
                deps.workspaceRoot(), session.metadata().allowNetwork(), session.metadata().autoApplyEdits());
        deps.executor().execute(calls, contexts, new DurableToolStarts(), cancellation, this::route, outcome -> {
            writer.appendMessage(outcome.message(), clock.instant());
            writer.appendToolUse(outcome.toolUse());
        });
        durabilityPoint();
        cancellation.check();
    }

    // ---- durability points (group commit, SessionWriter#commit) -------------------------------------------------------
    // Records and durable events are staged and made durable together, once per point: the user message (before any
    // provider call); a step's records and events up to its tool_call_start (before its tools run); its tool results
    // (before the next provider call); the turn's end (the terminal event flushes, SessionBus#emit(event, release)).

    /** Commits what the writer staged, then flushes and delivers the events the bus holds (one fsync in all). */
    private void durabilityPoint() {
        writer.commit();
        emitter.flush();
    }

    /**
     * The emitter the tool executor gets: a {@code tool_call_start} is a durability point, so the assistant message
     * and the call's start are durable (and delivered) before the executor submits the call.
     */
    private final class DurableToolStarts implements dev.tether.event.EventEmitter {
        @Override
        public void emit(SessionEvent event) {
            emitter.emit(event);
            if (event instanceof SessionEvent.ToolCallStart) {
                durabilityPoint();
            }
        }
    }

    /** RLM routing of bulk tool outputs (§7.2), synchronously in call order. */
    private String route(ContentPart.ToolCall call, dev.tether.tool.Tool tool, String output) {
        Session session = writer.current();
        boolean bulk = tool.outputKind() == OutputKind.BULK;
        if (!deps.rlm().shouldRoute(session.metadata().rlm(), bulk, output, prompt.model().selector(),
                lastRequestTokens)) {
            return output;
        }
        String active = ActiveRequest.text(session.messages()).orElse("");
        RlmEngine.RoutedOutput routed = deps.rlm().route(new RlmEngine.RouteRequest(tool.name(), output, active,
                prompt.model().selector(), session.metadata().rlm(), emitter, cancellation, UsageSink.NONE));
        if (routed.result().outcome() == RlmOutcome.ABORTED) {
            throw new Cancellation.CancelledException();
        }
        return routed.body();
    }

    /** One provider call with the prompt-too-long plan of §3.7 around it. */
    private ProviderCaller.Result callWithPlan(List<ToolDefinition> toolDefinitions) {
        int planStep = 0;
        DerivedContext previous = null;
        while (true) {
            Session session = writer.current();
            String system = deps.prompts().forAgent(session.agent(), session.metadata().directory());
            DeriveRequest req = new DeriveRequest(session.id(), session.messages(), system, toolDefinitions,
                    prompt.model().selector(), session.metadata(), halvedBudget,
                    planStep == 0 ? CompactionReason.CONTEXT_BUDGET : CompactionReason.PROMPT_TOO_LONG, emitter,
                    cancellation, UsageSink.NONE);
            DerivedContext derived = planStep >= 2
                    ? deps.context().forceCompaction(req, PLAN_KEEP_LAST[planStep - 2])
                    : deps.context().derive(req);
            if (committed(derived)) {
                deps.contextChanges().apply(writer, emitter, ContextChange.COMPACTION);
            }
            lastRequestTokens = derived.requestTokens();
            // identical = same messages under the same budget: the halved-budget attempt is always sent (§13.16)
            if (previous != null && previous.messages().equals(derived.messages())
                    && previous.budget() == derived.budget()) {
                planStep = nextPlanStep(planStep);
                continue;
            }
            previous = derived;
            List<Message> messages = new ArrayList<>(derived.messages().size() + 1);
            messages.add(Message.of(Role.SYSTEM, new ContentPart.Text(system)));
            messages.addAll(derived.messages());
            CompletionRequest request = new CompletionRequest(prompt.model().modelId(), messages, toolDefinitions,
                    deps.config().agent().temperature(), null, deps.config().agent().maxTokens(), List.of());
            try {
                return deps.caller().call(new ProviderCaller.Call(prompt.model(), request, TokenSource.ROOT,
                        derived.requestTokens(), derived.budget(), prompt.idleTimeout(), emitter, cancellation,
                        TokenEstimator::estimate));
            } catch (ProviderException e) {
                if (e.kind() != ProviderException.Kind.CONTEXT_LENGTH) {
                    throw e;
                }
                planStep = nextPlanStep(planStep);
            }
        }
    }

    private int nextPlanStep(int planStep) {
        int next = planStep + 1;
        if (next == 1) {
            halvedBudget = true;
        }
        if (next > 1 + PLAN_KEEP_LAST.length) {
            throw new ProviderException(ProviderException.Kind.FATAL, 0, "context_length_exceeded",
                    "context length exceeded after all reductions", null, null);
        }
        return next;
    }

    private static String thinkingText(Message m) {
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Thinking t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** A prompt that passed the preconditions. */
    record PreparedPrompt(Message userMessage, ResolvedModel model, String modelOverride, int maxSteps,
                          Usage usageBefore, Duration idleTimeout, List<ToolDefinition> toolDefinitions) {
    }
}
