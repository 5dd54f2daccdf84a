package dev.tether.agent;

import dev.tether.config.ManagedPools;
import dev.tether.config.TetherConfig;
import dev.tether.event.EventEmitter;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.tool.ArgumentValidator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Runs the tool calls of one assistant message (spec §4.2–§4.4, §3.9).
 *
 * <p>Scheduling: every call is validated first; calls are then partitioned in order into groups — a maximal run of
 * consecutive read-only calls (validation failures count as read-only) runs concurrently, at most
 * {@code parallelism} at a time; each writing call runs alone as a barrier. For a group, every
 * {@code tool_call_start} is emitted in call order before anything runs; heartbeats, live output, metadata and
 * {@code tool_call_complete} follow in completion order. Once a group finished, outputs are routed
 * ({@link OutputRouter}) and the outcomes are handed out in call order.
 *
 * <p>Cancellation: running tools are signalled and their worker threads interrupted ({@code bash} kills its process
 * tree); they end with {@code Tool call aborted while running: the turn was cancelled.}. Calls that had not started
 * get {@code Tool call not executed: the turn was cancelled.}; finished calls keep their real result, unrouted. A
 * {@code tool_call_complete} is emitted for every call whose {@code tool_call_start} was emitted; calls of later
 * groups get their result without events.
 *
 * <p>Tools run on a bounded view of the Quarkus worker pool ({@link ManagedPools}: {@code max(16, 4 × parallelism)}
 * calls at once across all turns, further calls wait in order), never on the caller's thread (which must itself not be
 * the event loop: this method blocks until the calls are resolved). Heartbeats are Mutiny ticks, one stream per
 * running call. The per-call pipeline is {@link ToolBatch}.
 */
@ApplicationScoped
public class ToolCallExecutor implements AutoCloseable {

    /** Interval of {@code tool_heartbeat} events (§12). */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** How long cancelled tools may take to stop before they are given up (their threads are left to finish). */
    public static final Duration ABORT_GRACE = Duration.ofSeconds(15);
    /** Result of a call that was running when the turn was cancelled. */
    public static final String ABORTED_OUTPUT = "Tool call aborted while running: the turn was cancelled.";
    /** Result of a call that had not started when the turn was cancelled. */
    public static final String NOT_EXECUTED_OUTPUT = "Tool call not executed: the turn was cancelled.";

    private final ArgumentValidator validator;
    private final ManagedExecutor workers;
    private final ToolBatch.Pool pool;

    @Inject
    public ToolCallExecutor(ArgumentValidator validator, TetherConfig config) {
        this(validator, config.tools().parallelism(), HEARTBEAT_INTERVAL, ABORT_GRACE);
    }

    /**
     * @param parallelism       read-only calls running at the same time within one group (≥ 1)
     * @param heartbeatInterval interval of {@code tool_heartbeat}; {@code elapsed_secs} is the elapsed multiple of it,
     *                          in whole seconds
     * @param abortGrace        how long to wait for cancelled tools to stop
     */
    public ToolCallExecutor(ArgumentValidator validator, int parallelism, Duration heartbeatInterval,
                            Duration abortGrace) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.validator = validator;
        this.workers = ManagedPools.bounded(Math.max(16, 4 * parallelism));
        this.pool = new ToolBatch.Pool(workers, parallelism, heartbeatInterval, abortGrace);
    }

    /** The interval of {@code tool_heartbeat} events this executor emits. */
    Duration heartbeatInterval() {
        return pool.heartbeatInterval();
    }

    /** Runs the calls with the identity router; see {@link #execute(List, ToolContextFactory, EventEmitter,
     * Cancellation, OutputRouter, Consumer)}. */
    public List<ToolCallOutcome> execute(List<ContentPart.ToolCall> calls, ToolContextFactory contexts,
                                         EventEmitter events, Cancellation cancellation) {
        return execute(calls, contexts, events, cancellation, OutputRouter.IDENTITY, outcome -> {
        });
    }

    /**
     * Runs the calls of one assistant message and returns one outcome per call, in call order; every call has one,
     * also when the turn is cancelled. Blocks until all calls are resolved.
     *
     * @param onResolved receives each outcome in call order as soon as its group finished (append the tool message
     *                   there to make it durable group by group); the same outcomes are returned at the end
     */
    public List<ToolCallOutcome> execute(List<ContentPart.ToolCall> calls, ToolContextFactory contexts,
                                         EventEmitter events, Cancellation cancellation, OutputRouter router,
                                         Consumer<ToolCallOutcome> onResolved) {
        ToolBatch batch = new ToolBatch(pool, contexts, events, cancellation);
        try (Cancellation.Registration registration = cancellation.onCancel(batch::cancelRunning)) {
            return batch.run(calls, validator, router, onResolved);
        } finally {
            if (batch.callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
