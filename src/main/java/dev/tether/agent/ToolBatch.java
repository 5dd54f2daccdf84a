package dev.tether.agent;

import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.tool.ArgumentValidator;
import dev.tether.tool.ToolContext;
import dev.tether.tool.ToolOutputs;
import dev.tether.tool.ToolResult;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The tool calls of one assistant message on their way through {@link ToolCallExecutor} (spec §4.2–§4.4, §3.9): the
 * calling (turn) thread orchestrates group by group; the tools run on the executor's workers. Used once.
 */
final class ToolBatch {

    private static final Logger LOG = Logger.getLogger(ToolBatch.class);

    /** What the executor lends a batch: its workers and its settings. */
    record Pool(Executor workers, int parallelism, Duration heartbeatInterval, Duration abortGrace) {
    }

    private final Pool pool;
    private final ToolContextFactory contexts;
    private final EventEmitter events;
    private final Cancellation cancellation;
    private final BlockingQueue<Object> finished = new LinkedBlockingQueue<>();
    private final Object wake = new Object();
    private volatile List<ToolCallRun> currentGroup = List.of();
    private volatile boolean localCancel;
    /** The orchestrating thread was interrupted: the caller restores its interrupt status. */
    boolean callerInterrupted;

    ToolBatch(Pool pool, ToolContextFactory contexts, EventEmitter events, Cancellation cancellation) {
        this.pool = pool;
        this.contexts = contexts;
        this.events = events;
        this.cancellation = cancellation;
    }

    boolean cancelled() {
        return localCancel || cancellation.isCancelled();
    }

    /** Cancellation callback: interrupt the running calls of the current group and wake the orchestrator. */
    void cancelRunning() {
        for (ToolCallRun run : currentGroup) {
            run.interrupt();
        }
        finished.add(wake);
    }

    List<ToolCallOutcome> run(List<ContentPart.ToolCall> calls, ArgumentValidator validator, OutputRouter router,
                              Consumer<ToolCallOutcome> onResolved) {
        List<ToolCallRun> runs = new ArrayList<>(calls.size());
        for (ContentPart.ToolCall call : calls) {
            runs.add(new ToolCallRun(call, validator.validate(call.name(), call.arguments())));
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
            List<ToolCallRun> group = runs.subList(i, end);
            if (cancelled()) {
                for (ToolCallRun run : group) {
                    run.status = ToolCallOutcome.Status.NOT_EXECUTED;
                    run.result = ToolResult.failure(ToolCallExecutor.NOT_EXECUTED_OUTPUT);
                }
            } else {
                runGroup(group);
            }
            for (ToolCallRun run : group) {
                ToolCallOutcome outcome = run.outcome(router, cancelled());
                outcomes.add(outcome);
                onResolved.accept(outcome);
            }
            i = end;
        }
        return outcomes;
    }

    private void runGroup(List<ToolCallRun> group) {
        currentGroup = group;
        for (ToolCallRun run : group) {
            run.started = true;
            events.emit(new SessionEvent.ToolCallStart(run.call.id(), run.name,
                    ToolOutputs.eventArguments(run.call.arguments())));
        }
        int next = 0;
        int outstanding = 0;
        int done = 0;
        long graceDeadline = 0;
        while (done < group.size()) {
            while (!cancelled() && outstanding < pool.parallelism() && next < group.size()) {
                submit(group.get(next++));
                outstanding++;
            }
            if (cancelled()) {
                for (; next < group.size(); next++) {
                    // resolved here, counted when it comes through the queue like every other call
                    finish(group.get(next), notExecuted(), ToolCallOutcome.Status.NOT_EXECUTED, 0);
                    outstanding++;
                }
                if (graceDeadline == 0) {
                    graceDeadline = System.nanoTime() + pool.abortGrace().toNanos();
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
            if (item instanceof ToolCallRun) {
                outstanding--;
                done++;
            }
        }
        currentGroup = List.of();
        finished.clear();
    }

    /** Cancelled tools that did not stop within the grace period: resolve them as aborted and move on. */
    private void giveUp(List<ToolCallRun> group) {
        for (ToolCallRun run : group) {
            ToolCallRun.State state;
            synchronized (run) {
                state = run.state;
            }
            if (state == ToolCallRun.State.NEW) {
                finish(run, notExecuted(), ToolCallOutcome.Status.NOT_EXECUTED, 0);
            } else if (finish(run, ToolResult.failure(ToolCallExecutor.ABORTED_OUTPUT), ToolCallOutcome.Status.ABORTED,
                    0)) {
                LOG.warnf("tool %s did not stop within %s after cancellation", run.name, pool.abortGrace());
            }
        }
    }

    private void submit(ToolCallRun run) {
        if (run.tool == null) {
            finish(run, ToolResult.failure(run.invalidMessage), ToolCallOutcome.Status.INVALID, 0);
            return;
        }
        try {
            pool.workers().execute(() -> execute(run));
        } catch (RejectedExecutionException e) {
            finish(run, ToolResult.failure("Error: the tool executor is shut down"), ToolCallOutcome.Status.COMPLETED,
                    0);
        }
    }

    /** Runs on a worker thread. */
    private void execute(ToolCallRun run) {
        boolean start;
        synchronized (run) {
            if (run.state != ToolCallRun.State.NEW) {
                return;
            }
            start = !cancelled();
            if (start) {
                run.state = ToolCallRun.State.RUNNING;
                run.worker = Thread.currentThread();
            }
        }
        if (!start) {
            finish(run, notExecuted(), ToolCallOutcome.Status.NOT_EXECUTED, 0);
            return;
        }
        long t0 = System.nanoTime();
        Duration interval = pool.heartbeatInterval();
        run.heartbeat = Multi.createFrom().ticks().startingAfter(interval).every(interval)
                .onOverflow().drop()
                .subscribe().with(tick -> beat(run), failure -> LOG.debug("heartbeat ticks failed", failure));
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
            run.heartbeat.cancel();
        }
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (cancelled()) {
            finish(run, ToolResult.failure(ToolCallExecutor.ABORTED_OUTPUT), ToolCallOutcome.Status.ABORTED,
                    durationMs);
        } else {
            finish(run, result, ToolCallOutcome.Status.COMPLETED, durationMs);
        }
        // an interrupt meant for this call must not leak into the next task of this pooled thread
        Thread.interrupted();
    }

    private static ToolResult notExecuted() {
        return ToolResult.failure(ToolCallExecutor.NOT_EXECUTED_OUTPUT);
    }

    /**
     * Resolves a call once (whoever comes first: the worker, the orchestrator, or a give-up), emits its metadata and
     * {@code tool_call_complete}, and signals the orchestrator. Returns false when it was already resolved.
     */
    private boolean finish(ToolCallRun run, ToolResult result, ToolCallOutcome.Status status, long durationMs) {
        synchronized (run) {
            if (run.state == ToolCallRun.State.DONE) {
                return false;
            }
            run.state = ToolCallRun.State.DONE;
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

    private void beat(ToolCallRun run) {
        synchronized (run) {
            if (run.state != ToolCallRun.State.RUNNING) {
                return;
            }
            run.beats++;
            long elapsedSecs = run.beats * pool.heartbeatInterval().toMillis() / 1000;
            events.emit(new SessionEvent.ToolHeartbeat(run.call.id(), run.name, elapsedSecs));
        }
    }

    private void chunk(ToolCallRun run, String stream, String text) {
        synchronized (run) {
            if (run.state != ToolCallRun.State.RUNNING) {
                return; // late output of a resolved call is dropped
            }
            events.emit(new SessionEvent.ToolOutputChunk(run.call.id(), run.name, stream, text));
        }
    }
}
