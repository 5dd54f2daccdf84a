package dev.tether.agent;

import dev.tether.event.BusEvent;
import dev.tether.event.SessionBus;
import dev.tether.event.SinkAttachment;
import dev.tether.event.SessionBuses;
import dev.tether.event.journal.JournalSinks;
import dev.tether.provider.ModelResolver;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionResult;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The prompt runtime (spec §3.1): starts turns after their preconditions ({@link PromptPreconditions}) on a turn thread
 * ({@link TurnThreads}: never the event loop, bounded by {@code tether.agent.max-concurrent-turns}), cancels them, and
 * follows a session's events. Session administration is {@link Sessions}'; context operations are
 * {@link ContextOperations}'.
 */
@ApplicationScoped
public class AgentService {

    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);
    private static final Logger LOG = Logger.getLogger(AgentService.class);

    private final SessionStore store;
    private final ModelResolver models;
    private final TurnRegistry turns;
    private final TurnThreads threads;
    private final SessionBuses buses;
    private final JournalSinks sinks;
    private final PromptPreconditions preconditions;
    private final TurnServices services;
    private final AtomicInteger active = new AtomicInteger();

    public AgentService(SessionStore store, ModelResolver models, TurnRegistry turns, TurnThreads threads,
                        SessionBuses buses, JournalSinks sinks, PromptPreconditions preconditions,
                        TurnServices services, MeterRegistry meters) {
        this.store = store;
        this.models = models;
        this.turns = turns;
        this.threads = threads;
        this.buses = buses;
        this.sinks = sinks;
        this.preconditions = preconditions;
        this.services = services;
        meters.gauge("tether.prompts.active", active);
    }

    /**
     * Checks the preconditions (throwing 400/403/404/409/503 problems with no side effects), then starts the turn.
     * With {@code if_busy: reject} the turn slot is taken before this returns, so a concurrent prompt sees 409 at once;
     * a queued turn checks the workspace confinement again when it starts, since the directory may have changed.
     * Beyond {@code tether.agent.max-concurrent-turns} admitted prompts it throws 503 ({@link TooManyTurnsException}).
     */
    public CompletableFuture<SessionResult> start(String sessionId, PromptRequest request,
                                                  Consumer<SessionBus> beforeTurn) {
        return start(sessionId, request, null, beforeTurn);
    }

    /** As {@link #start}, for a prompt with an Idempotency-Key ({@link IdempotentPrompts}); {@code key} may be null. */
    CompletableFuture<SessionResult> start(String sessionId, PromptRequest request, TurnKey key,
                                           Consumer<SessionBus> beforeTurn) {
        PromptPreconditions.Checked checked = preconditions.check(sessionId, request);
        boolean queue = request.ifBusy() == PromptRequest.IfBusy.QUEUE;
        TurnRegistry.Turn slot = queue ? null : turns.begin(sessionId, false);
        CompletableFuture<SessionResult> result = new CompletableFuture<>();
        try {
            threads.start(admission -> {
                SessionResult outcome;
                try (TurnRegistry.Turn turn = slot != null ? slot : turns.begin(sessionId, true)) {
                    SessionBus bus = buses.bus(sessionId);
                    SessionWriter writer = queue ? awaitWriter(sessionId, turn) : store.openWriter(sessionId);
                    outcome = runTurn(bus, writer, checked, turn, admission, key, beforeTurn);
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
            if (e instanceof RejectedExecutionException) {
                throw new SessionBusyException("The service is shutting down");
            }
            throw e;
        }
        return result;
    }

    /** Cancels the running turn of a session; false when none runs. */
    public boolean abort(String sessionId) {
        preconditions.requireExisting(sessionId);
        return turns.abort(sessionId);
    }

    /**
     * A session's events, live; with {@code resumeAfter} the durable events recorded after that sequence are replayed
     * from the journal first, with no gap and no duplicate. Ends only when the session is deleted or the subscriber
     * lags too far behind.
     */
    public Multi<BusEvent> events(String sessionId, Long resumeAfter) {
        preconditions.requireExisting(sessionId);
        SessionBus bus = buses.bus(sessionId);
        return resumeAfter == null ? bus.subscribe() : bus.subscribe(resumeAfter);
    }

    /**
     * The writer of a queued prompt's turn: waits while another replica or process holds it (at most
     * {@code tether.agent.max-turn-duration}, the longest its turn can run), then checks the workspace confinement
     * again, since the directory may have changed meanwhile. Abort or shutdown while waiting ends the prompt with 409.
     */
    private SessionWriter awaitWriter(String sessionId, TurnRegistry.Turn turn) {
        SessionWriter writer;
        try {
            writer = store.awaitWriter(sessionId, services.config().agent().maxTurnDuration(), turn.cancellation());
        } catch (Cancellation.CancelledException e) {
            throw new SessionBusyException("The queued prompt was aborted before its turn started on session "
                    + sessionId);
        }
        try {
            preconditions.requireConfined(writer.current());
            return writer;
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /**
     * Runs the turn as the session's writer. The prompt's subscriber ({@code beforeTurn}) attaches after the journal
     * sink: from then on this bus relays no event of another replica, whose late announcements would otherwise reach
     * this prompt's stream.
     */
    private SessionResult runTurn(SessionBus bus, SessionWriter writer, PromptPreconditions.Checked checked,
                                  TurnRegistry.Turn turn, TurnThreads.Admission admission, TurnKey key,
                                  Consumer<SessionBus> beforeTurn) {
        active.incrementAndGet();
        TurnRelease release = new TurnRelease(bus.sessionId(), writer, turn, admission);
        try (SinkAttachment sink = release.holdSink(bus.attachSink(sinks.bindTo(writer)))) {
            beforeTurn.accept(bus);
            Session session = writer.current();
            // a queued turn re-resolves the session's model: the previous turn may have changed it
            ResolvedModel model = checked.modelOverride() != null ? checked.model()
                    : models.resolve(session.metadata().model());
            // read at start, like the model: a PATCH may have changed the session's limit while a prompt queued
            int maxSteps = checked.maxSteps() != null ? checked.maxSteps()
                    : session.metadata().maxSteps() != null ? session.metadata().maxSteps()
                    : services.config().agent().maxSteps();
            TurnRunner.PreparedPrompt prompt = new TurnRunner.PreparedPrompt(checked.userMessage(), model,
                    checked.modelOverride(), maxSteps, session.usage(), model.provider().streamIdleTimeout(),
                    services.toolDefinitions());
            return new TurnRunner(services, writer, services.emitter(bus), turn.cancellation(), prompt,
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
        if (!threads.drain(SHUTDOWN_GRACE)) {
            LOG.warnf("%d turn(s) did not end within %s of shutdown", active.get(), SHUTDOWN_GRACE);
        } else if (aborted > 0) {
            LOG.infof("aborted %d running turn(s) for shutdown", aborted);
        }
    }
}
