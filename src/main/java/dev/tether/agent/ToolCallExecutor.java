package dev.tether.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.config.TetherConfig;
import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.ToolUse;
import dev.tether.tool.ArgumentValidator;
import dev.tether.tool.Tool;
import dev.tether.tool.ToolContext;
import dev.tether.tool.ToolOutputs;
import dev.tether.tool.ToolResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

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
 * <p>Tools run on a bounded pool of platform worker threads owned by this bean, never on the caller's thread (which
 * must itself not be the event loop: this method blocks until the calls are resolved).
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

    private static final Logger LOG = Logger.getLogger(ToolCallExecutor.class);

    private final ArgumentValidator validator;
    private final int parallelism;
    private final Duration heartbeatInterval;
    private final Duration abortGrace;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;

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
        this.parallelism = parallelism;
        this.heartbeatInterval = heartbeatInterval;
        this.abortGrace = abortGrace;
        int threads = Math.max(16, 4 * parallelism);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("tether-tool-"));
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("tether-tool-ticker-"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.ticker = scheduler;
    }

    /** The interval of {@code tool_heartbeat} events this executor emits. */
    Duration heartbeatInterval() {
        return heartbeatInterval;
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
        Batch batch = new Batch(contexts, events, cancellation);
        AutoCloseable registration = cancellation.onCancel(batch::cancelRunning);
        try {
            return batch.run(calls, router, onResolved);
        } finally {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("cancellation callback could not be unregistered", e);
            }
            if (batch.callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        workers.shutdownNow();
        ticker.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private enum State { NEW, RUNNING, DONE }

    /** One call on its way through the pipeline; state transitions are guarded by the object's monitor. */
    private static final class CallRun {
        final ContentPart.ToolCall call;
        final String name;
        final Tool tool;
        final ObjectNode arguments;
        final String invalidMessage;
        State state = State.NEW;
        Thread worker;
        ScheduledFuture<?> heartbeat;
        long beats;
        boolean started; // tool_call_start emitted
        ToolResult result;
        ToolCallOutcome.Status status;

        CallRun(ContentPart.ToolCall call, ArgumentValidator.Result validation) {
            this.call = call;
            this.name = call.name() == null ? "" : call.name();
            if (validation instanceof ArgumentValidator.Valid valid) {
                this.tool = valid.tool();
                this.arguments = valid.arguments();
                this.invalidMessage = null;
            } else {
                this.tool = null;
                this.arguments = null;
                this.invalidMessage = ((ArgumentValidator.Invalid) validation).message();
            }
        }

        /** Validation failures are scheduled like read-only calls (§4.2). */
        boolean readOnly() {
            return tool == null || tool.readOnly();
        }
    }

    /** The state of one {@code execute} call. */
    private final class Batch {
        private final ToolContextFactory contexts;
        private final EventEmitter events;
        private final Cancellation cancellation;
        private final BlockingQueue<Object> finished = new LinkedBlockingQueue<>();
        private final Object wake = new Object();
        private volatile List<CallRun> currentGroup = List.of();
        private volatile boolean localCancel;
        boolean callerInterrupted;

        Batch(ToolContextFactory contexts, EventEmitter events, Cancellation cancellation) {
            this.contexts = contexts;
            this.events = events;
            this.cancellation = cancellation;
        }

        boolean cancelled() {
            return localCancel || cancellation.isCancelled();
        }

        /** Cancellation callback: interrupt the running calls of the current group and wake the orchestrator. */
        void cancelRunning() {
            for (CallRun run : currentGroup) {
                synchronized (run) {
                    if (run.state == State.RUNNING && run.worker != null) {
                        run.worker.interrupt();
                    }
                }
            }
            finished.add(wake);
        }

        List<ToolCallOutcome> run(List<ContentPart.ToolCall> calls, OutputRouter router,
                                  Consumer<ToolCallOutcome> onResolved) {
            List<CallRun> runs = new ArrayList<>(calls.size());
            for (ContentPart.ToolCall call : calls) {
                runs.add(new CallRun(call, validator.validate(call.name(), call.arguments())));
            }
            List<ToolCallOutcome> outcomes = new ArrayList<>(calls.size());
            int i = 0;
            while (i < runs.size()) {
                int end = i + 1;
                if (runs.get(i).readOnly()) {
                    while (end < runs.size() && runs.get(end).readOnly()) {
                        end++;
                    }
                }
                List<CallRun> group = runs.subList(i, end);
                if (cancelled()) {
                    for (CallRun run : group) {
                        run.status = ToolCallOutcome.Status.NOT_EXECUTED;
                        run.result = ToolResult.failure(NOT_EXECUTED_OUTPUT);
                    }
                } else {
                    runGroup(group);
                }
                for (CallRun run : group) {
                    ToolCallOutcome outcome = outcome(run, router);
                    outcomes.add(outcome);
                    onResolved.accept(outcome);
                }
                i = end;
            }
            return outcomes;
        }

        private void runGroup(List<CallRun> group) {
            currentGroup = group;
            for (CallRun run : group) {
                run.started = true;
                events.emit(new SessionEvent.ToolCallStart(run.call.id(), run.name,
                        ToolOutputs.eventArguments(run.call.arguments())));
            }
            int next = 0;
            int outstanding = 0;
            int done = 0;
            long graceDeadline = 0;
            while (done < group.size()) {
                while (!cancelled() && outstanding < parallelism && next < group.size()) {
                    submit(group.get(next++));
                    outstanding++;
                }
                if (cancelled()) {
                    for (; next < group.size(); next++) {
                        // resolved here, counted when it comes through the queue like every other call
                        finish(group.get(next), ToolResult.failure(NOT_EXECUTED_OUTPUT),
                                ToolCallOutcome.Status.NOT_EXECUTED, 0);
                        outstanding++;
                    }
                    if (graceDeadline == 0) {
                        graceDeadline = System.nanoTime() + abortGrace.toNanos();
                        cancelRunning(); // also covers a cancellation seen before the callback ran
                    }
                }
                if (done >= group.size()) {
                    break;
                }
                Object item;
                try {
                    item = graceDeadline == 0
                            ? finished.take()
                            : finished.poll(graceDeadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    callerInterrupted = true;
                    localCancel = true;
                    continue;
                }
                if (item == null) {
                    giveUp(group);
                    break;
                }
                if (item instanceof CallRun) {
                    outstanding--;
                    done++;
                }
            }
            currentGroup = List.of();
            finished.clear();
        }

        /** Cancelled tools that did not stop within the grace period: resolve them as aborted and move on. */
        private void giveUp(List<CallRun> group) {
            for (CallRun run : group) {
                State state;
                synchronized (run) {
                    state = run.state;
                }
                if (state == State.NEW) {
                    finish(run, ToolResult.failure(NOT_EXECUTED_OUTPUT), ToolCallOutcome.Status.NOT_EXECUTED, 0);
                } else if (finish(run, ToolResult.failure(ABORTED_OUTPUT), ToolCallOutcome.Status.ABORTED, 0)) {
                    LOG.warnf("tool %s did not stop within %s after cancellation", run.name, abortGrace);
                }
            }
        }

        private void submit(CallRun run) {
            if (run.tool == null) {
                finish(run, ToolResult.failure(run.invalidMessage), ToolCallOutcome.Status.INVALID, 0);
                return;
            }
            try {
                workers.execute(() -> execute(run));
            } catch (RejectedExecutionException e) {
                finish(run, ToolResult.failure("Error: the tool executor is shut down"),
                        ToolCallOutcome.Status.COMPLETED, 0);
            }
        }

        /** Runs on a worker thread. */
        private void execute(CallRun run) {
            boolean start;
            synchronized (run) {
                if (run.state != State.NEW) {
                    return;
                }
                start = !cancelled();
                if (start) {
                    run.state = State.RUNNING;
                    run.worker = Thread.currentThread();
                }
            }
            if (!start) {
                finish(run, ToolResult.failure(NOT_EXECUTED_OUTPUT), ToolCallOutcome.Status.NOT_EXECUTED, 0);
                return;
            }
            long t0 = System.nanoTime();
            long periodMs = Math.max(1, heartbeatInterval.toMillis());
            run.heartbeat = ticker.scheduleAtFixedRate(() -> beat(run), periodMs, periodMs, TimeUnit.MILLISECONDS);
            ToolResult result;
            try {
                ToolContext context = contexts.create(run.call.id(), this::cancelled, (stream, text) -> chunk(run,
                        stream, text));
                result = run.tool.execute(run.arguments, context);
                if (result == null) {
                    result = ToolResult.failure("Error: the tool returned no result");
                }
            } catch (Throwable e) { // whatever happens, the call must be resolved or the batch would wait forever
                String message = e.getMessage() == null || e.getMessage().isBlank()
                        ? e.getClass().getSimpleName() : e.getMessage();
                result = ToolResult.failure("Error: " + message);
            } finally {
                run.heartbeat.cancel(false);
            }
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (cancelled()) {
                finish(run, ToolResult.failure(ABORTED_OUTPUT), ToolCallOutcome.Status.ABORTED, durationMs);
            } else {
                finish(run, result, ToolCallOutcome.Status.COMPLETED, durationMs);
            }
            Thread.interrupted(); // an interrupt meant for this call must not leak into the next task of the thread
        }

        /**
         * Resolves a call once (whoever comes first: the worker, the orchestrator, or a give-up), emits its metadata
         * and {@code tool_call_complete}, and signals the orchestrator. Returns false when it was already resolved.
         */
        private boolean finish(CallRun run, ToolResult result, ToolCallOutcome.Status status, long durationMs) {
            synchronized (run) {
                if (run.state == State.DONE) {
                    return false;
                }
                run.state = State.DONE;
                run.worker = null;
                run.result = result;
                run.status = status;
            }
            if (run.started) {
                if (status == ToolCallOutcome.Status.COMPLETED && !result.metadata().isEmpty()) {
                    events.emit(new SessionEvent.ToolCallMetadata(run.call.id(), run.name, result.metadata()));
                }
                events.emit(new SessionEvent.ToolCallComplete(run.call.id(), run.name,
                        ToolOutputs.eventOutput(result.output()), result.success(), durationMs));
            }
            finished.add(run);
            return true;
        }

        private void beat(CallRun run) {
            synchronized (run) {
                if (run.state != State.RUNNING) {
                    return;
                }
                run.beats++;
                long elapsedSecs = run.beats * heartbeatInterval.toMillis() / 1000;
                events.emit(new SessionEvent.ToolHeartbeat(run.call.id(), run.name, elapsedSecs));
            }
        }

        private void chunk(CallRun run, String stream, String text) {
            synchronized (run) {
                if (run.state != State.RUNNING) {
                    return; // late output of a resolved call is dropped
                }
                events.emit(new SessionEvent.ToolOutputChunk(run.call.id(), run.name, stream, text));
            }
        }

        private ToolCallOutcome outcome(CallRun run, OutputRouter router) {
            ContentPart.ToolCall call = run.call;
            String raw = run.result.output();
            String output = raw;
            if (run.status == ToolCallOutcome.Status.COMPLETED && !cancelled()) {
                try {
                    output = router.route(call, run.tool, raw);
                } catch (Cancellation.CancelledException e) {
                    output = raw; // cancelled meanwhile: finished calls keep their real result, unrouted
                } catch (RuntimeException e) {
                    LOG.warnf("routing the output of %s failed; the output is kept as it is: %s", run.name,
                            e.toString());
                    output = raw;
                }
                if (output == null) {
                    output = raw;
                }
            }
            String body = ToolOutputs.storedBody(run.name, output);
            boolean success = run.result.success();
            Message message = Message.toolResult(call.id(),
                    ToolOutputs.envelope(run.name, success, body));
            ToolUse use = new ToolUse(call.id(), run.name, call.arguments(), body, success);
            return new ToolCallOutcome(call, message, use, run.status, raw);
        }
    }
}
