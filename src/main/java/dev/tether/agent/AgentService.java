package dev.tether.agent;

import dev.tether.config.TetherConfig;
import dev.tether.context.ContextManager;
import dev.tether.context.RlmEngine;
import dev.tether.context.TitleGenerator;
import dev.tether.event.journal.JournalSinks;
import dev.tether.tool.ToolRegistry;
import dev.tether.tool.WorkspaceRoot;
import dev.tether.event.SessionBus;
import dev.tether.event.SessionBuses;
import dev.tether.provider.ModelResolver;
import dev.tether.provider.ModelSelectors;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.ContentPart;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionBusyException;
import dev.tether.provider.ToolDefinition;
import dev.tether.context.CompactionPreview;
import dev.tether.context.CompactionReason;
import dev.tether.context.ContextEstimate;
import dev.tether.context.DeriveRequest;
import dev.tether.context.DerivedContext;
import dev.tether.context.UsageSink;
import dev.tether.session.SessionResult;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entry point of the agentic loop (spec §3.1): checks a prompt's preconditions with no side effects, then runs the
 * turn on a dedicated turn thread (never the event loop, and not the HTTP worker pool, since turns last minutes).
 */
@ApplicationScoped
public class AgentService {

    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AgentService.class);

    private final SessionStore store;
    private final ModelResolver models;
    private final TurnRegistry turns;
    private final SessionBuses buses;
    private final TetherConfig config;
    private final TurnRunner.Deps deps;
    private final MeterRegistry meters;
    private final JournalSinks sinks;
    private final ContextManager context;
    private final ToolRegistry tools;
    private final SystemPrompts prompts;
    private final LoopMetrics loopMetrics;
    private final WorkspaceRoot workspaceRoot;
    private final ContextChangeHook contextChanges;
    private final SessionWriting writing;
    private final AtomicInteger active = new AtomicInteger();
    private final ExecutorService turnThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tether-turn");
        t.setDaemon(true);
        return t;
    });

    public AgentService(SessionStore store, ModelResolver models, TurnRegistry turns, SessionBuses buses,
                        TetherConfig config, ContextManager context, RlmEngine rlm, TitleGenerator titles,
                        ToolRegistry tools, ToolCallExecutor executor, SystemPrompts prompts, JournalSinks sinks,
                        MeterRegistry meters, WorkspaceRoot workspaceRoot, ContextChangeHook contextChanges,
                        SessionWriting writing) {
        this.writing = writing;
        this.workspaceRoot = workspaceRoot;
        this.contextChanges = contextChanges;
        this.sinks = sinks;
        this.context = context;
        this.tools = tools;
        this.prompts = prompts;
        this.store = store;
        this.models = models;
        this.turns = turns;
        this.buses = buses;
        this.config = config;
        this.meters = meters;
        this.deps = new TurnRunner.Deps(config, context, rlm, titles, executor, prompts,
                new ProviderCaller(Sleeper.REAL, config.agent().maxStreamRestarts(),
                        config.agent().maxCallDuration()), meters, workspaceRoot, contextChanges);
        meters.gauge("tether.prompts.active", active);
        this.loopMetrics = new LoopMetrics(meters, tools);
    }

    /**
     * Checks the preconditions (throwing 400/403/404/409/503 problems with no side effects), then starts the turn.
     * With {@code if_busy: reject} the turn slot is taken before this returns, so a concurrent prompt sees 409 at once;
     * a queued turn checks the workspace confinement again when it starts, since the directory may have changed.
     */
    public CompletableFuture<SessionResult> start(String sessionId, PromptRequest request,
                                                  java.util.function.Consumer<SessionBus> beforeTurn) {
        return start(sessionId, request, null, beforeTurn);
    }

    /** As {@link #start}, for a prompt with an Idempotency-Key ({@link IdempotentPrompts}); {@code key} may be null. */
    CompletableFuture<SessionResult> start(String sessionId, PromptRequest request, TurnKey key,
                                           java.util.function.Consumer<SessionBus> beforeTurn) {
        Checked checked = check(sessionId, request);
        boolean queue = request.ifBusy() == PromptRequest.IfBusy.QUEUE;
        TurnRegistry.Turn slot = queue ? null : turns.begin(sessionId, false);
        CompletableFuture<SessionResult> result = new CompletableFuture<>();
        try {
            turnThreads.execute(() -> {
                SessionResult outcome;
                try (TurnRegistry.Turn turn = slot != null ? slot : turns.begin(sessionId, true)) {
                    if (slot == null) {
                        requireConfined(store.load(sessionId));
                    }
                    SessionBus bus = buses.bus(sessionId);
                    beforeTurn.accept(bus);
                    outcome = runTurn(bus, checked, turn, key);
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                    return;
                }
                // after the slot is free: a client that prompts again on receiving the result is not refused
                result.complete(outcome);
            });
        } catch (RuntimeException e) {
            if (slot != null) {
                slot.close();
            }
            throw e;
        }
        return result;
    }

    /** Cancels the running turn of a session; false when none runs. */
    public boolean abort(String sessionId) {
        SessionIds.require(sessionId);
        if (!store.exists(sessionId)) {
            throw new SessionNotFoundException(sessionId);
        }
        return turns.abort(sessionId);
    }

    /**
     * Deletes a session and everything held for it (journal, events, bus, compaction cache); refused with 409 while a
     * turn runs on it.
     */
    public void delete(String sessionId) {
        SessionIds.require(sessionId);
        if (turns.isRunning(sessionId)) {
            throw new SessionBusyException("A turn is running on session " + sessionId + "; abort it first");
        }
        store.delete(sessionId);
        buses.close(sessionId);
        context.forget(sessionId);
    }

    /** The definitions of the enabled tools, as advertised to models. */
    public List<ToolDefinition> toolDefinitions() {
        return tools.tools().stream().map(t -> new ToolDefinition(t.name(), t.description(), t.parameters())).toList();
    }

    /** What the next request of a session would contain, without sending or changing anything. */
    public DeriveRequest readOnlyDerivation(String sessionId) {
        SessionIds.require(sessionId);
        Session session = store.load(sessionId);
        ResolvedModel model = models.resolve(session.metadata().model());
        return DeriveRequest.readOnly(session.id(), session.messages(),
                prompts.forAgent(session.agent(), session.metadata().directory()), toolDefinitions(), model.selector(),
                session.metadata());
    }

    /** {@code GET /context}: token estimate and budget of the next request. */
    public ContextEstimate estimateContext(String sessionId) {
        return context.estimate(readOnlyDerivation(sessionId));
    }

    /** {@code POST /compact?dry_run=true}: what a manual compaction would do; no events, no cache, no model call. */
    public CompactionPreview previewCompaction(String sessionId) {
        return context.previewCompaction(readOnlyDerivation(sessionId));
    }

    /**
     * {@code POST /compact}: runs a manual compaction now, as a writer of the session (409 while a turn runs), emitting
     * its events durably and adding the summary call's usage to the session.
     */
    public DerivedContext compactNow(String sessionId) {
        return writing.run(sessionId, (SessionWriting.Work<DerivedContext>) (writer, bus, cancellation) -> {
            Session session = writer.current();
            ResolvedModel model = models.resolve(session.metadata().model());
            TurnEmitter emitter = new TurnEmitter(bus, loopMetrics);
            DerivedContext derived = context.compactNow(new DeriveRequest(session.id(), session.messages(),
                    prompts.forAgent(session.agent(), session.metadata().directory()), toolDefinitions(),
                    model.selector(), session.metadata(), false, CompactionReason.MANUAL, emitter, cancellation,
                    UsageSink.NONE));
            Session now = writer.current();
            writer.updateMeta(now.title(), now.metadata(), now.usage().plus(emitter.usage()), null);
            if (TurnRunner.committed(derived)) {
                contextChanges.apply(writer, emitter, ContextChange.COMPACTION);
            }
            return derived;
        });
    }

    /** {@code maxSteps}: the prompt's own limit, or {@code null} to use the session's (else the default) at start. */
    private record Checked(Message userMessage, ResolvedModel model, String modelOverride, Integer maxSteps) {
    }

    private Checked check(String sessionId, PromptRequest request) {
        SessionIds.require(sessionId);
        if (!store.exists(sessionId)) {
            throw new SessionNotFoundException(sessionId);
        }
        if (request.message().isBlank() && request.images().isEmpty()) {
            throw new InvalidRequestException("message must not be blank unless images are attached");
        }
        SessionMetadata.checkMaxSteps(request.maxSteps());
        List<ContentPart> parts = new ArrayList<>();
        if (!request.message().isBlank()) {
            parts.add(new ContentPart.Text(request.message()));
        }
        parts.addAll(ImageAttachments.toParts(request.images(), config.agent().maxImages(),
                config.agent().maxImageBytes()));
        Session stored = store.load(sessionId);
        requireConfined(stored);
        String override = ModelSelectors.requireValid(request.model());
        ResolvedModel model = override != null ? models.resolve(override)
                : models.resolve(stored.metadata().model());
        return new Checked(new Message(Role.USER, parts), model, override == null ? null : model.selector(),
                request.maxSteps());
    }

    /**
     * A turn runs only on a session whose directory's real path lies inside the workspace root's (§4.5), whatever it
     * was at creation or import; a session without a directory has no file tools, so nothing to confine.
     */
    private void requireConfined(Session session) {
        String directory = session.metadata().directory();
        if (directory != null) {
            workspaceRoot.requireInside(directory);
        }
    }

    private SessionResult runTurn(SessionBus bus, Checked checked, TurnRegistry.Turn turn, TurnKey key) {
        active.incrementAndGet();
        SessionWriter writer = store.openWriter(bus.sessionId());
        TurnRelease release = new TurnRelease(bus.sessionId(), writer, turn);
        try (SessionBus.Attachment sink = release.holdSink(bus.attachSink(sinks.bindTo(writer)))) {
            Session session = writer.current();
            // a queued turn re-resolves the session's model: the previous turn may have changed it
            ResolvedModel model = checked.modelOverride() != null ? checked.model()
                    : models.resolve(session.metadata().model());
            // read at start, like the model: a PATCH may have changed the session's limit while a prompt queued
            int maxSteps = checked.maxSteps() != null ? checked.maxSteps()
                    : session.metadata().maxSteps() != null ? session.metadata().maxSteps() : config.agent().maxSteps();
            TurnRunner.PreparedPrompt prompt = new TurnRunner.PreparedPrompt(checked.userMessage(), model,
                    checked.modelOverride(), maxSteps, session.usage(), model.provider().streamIdleTimeout(),
                    toolDefinitions());
            return new TurnRunner(deps, writer, new TurnEmitter(bus, loopMetrics), turn.cancellation(), prompt,
                    Clock.systemUTC(), release, key).run();
        } finally {
            active.decrementAndGet();
            release.run(); // normally done already, between recording and delivering the terminal event
        }
    }

    /**
     * Graceful shutdown: running turns are aborted so that each persists its transcript (every tool call paired) and
     * records its terminal {@code done} event before the process exits; queued prompts do not start.
     */
    void shutdown(@Observes ShutdownEvent event) {
        int aborted = turns.abortAll();
        turnThreads.shutdown();
        try {
            if (!turnThreads.awaitTermination(SHUTDOWN_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warnf("%d turn(s) did not end within %s of shutdown", active.get(), SHUTDOWN_GRACE);
            } else if (aborted > 0) {
                LOG.infof("aborted %d running turn(s) for shutdown", aborted);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        turnThreads.shutdownNow();
    }
}
