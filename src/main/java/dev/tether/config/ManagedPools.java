package dev.tether.config;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

/**
 * The one place the service makes executors (docs/ARCHITECTURE.md, "Threads"). Every pool of blocking work — turns,
 * tool calls, auxiliary model calls, {@code bash} pipes — is a {@link ManagedExecutor} of SmallRye Context
 * Propagation: in Quarkus a bounded view of the Quarkus worker pool (no threads of its own; shutting a view down does
 * not touch the pool), outside Quarkus (plain unit tests) a small pool of its own. The service targets Java 17, where
 * there are no virtual threads, so blocking work needs platform threads and the worker pool is the managed one.
 *
 * <p>No context is propagated: the work outlives the request that started it (a turn lasts minutes), so the request's
 * CDI context must not travel with it; none is cleared either (see {@link #bounded}).
 */
public final class ManagedPools {

    /** The largest bound of a view; used for work whose amount its callers already bound. */
    public static final int CALLER_BOUNDED = Short.MAX_VALUE;

    private ManagedPools() {
    }

    /**
     * The file store's own background thread ({@code tether-store}): start-up housekeeping, background checkpoints and
     * the periodic sweep of idle open sessions. A dedicated daemon thread rather than a view of the worker pool because
     * the store is also built without CDI (tools, benchmarks, tests), must keep sweeping while the worker pool is
     * saturated by turns, and needs a scheduler (a {@link ManagedExecutor} has none). Daemon, because a store used
     * without CDI is often never closed: a {@code bounded(1)} view plus Mutiny ticks was tried, and outside Quarkus
     * the view's non-daemon threads kept such a JVM alive ({@code CrossProcessLockTest}'s child never exited).
     *
     * <p>{@code shutdown()} drops the delayed and periodic tasks still waiting and lets a running one finish without
     * an interrupt (an interrupted NIO write closes its channel midway), so that whoever closes the store can wait
     * for the thread to end before touching the files itself.
     */
    public static ScheduledExecutorService storeThread() {
        ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> daemon("tether-store", r));
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        thread.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        thread.setRemoveOnCancelPolicy(true);
        return thread;
    }

    /**
     * Starts a named daemon thread for a loop that blocks on one connection for the life of the service (the
     * PostgreSQL store's {@code LISTEN} loop, {@code tether-pg-events}): it would pin a worker-pool thread forever.
     */
    public static Thread startDaemon(String name, Runnable loop) {
        Thread t = daemon(name, loop);
        t.start();
        return t;
    }

    private static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** A view running at most {@code maxAsync} tasks at once; further tasks wait in its queue, in order. */
    public static ManagedExecutor bounded(int maxAsync) {
        // Nothing propagated and nothing cleared: clearing the CDI context deactivates the request-context state the
        // submitting request may share with the task (Quarkus keeps it in the request's Vert.x context), and a turn
        // that completes its prompt's response and then deactivates that state raced the response's resumption
        // (ContextNotActiveException, a 500, seen once in CrashCampaignIT). Turn code uses no request-scoped bean.
        return ManagedExecutor.builder().maxAsync(maxAsync).maxQueued(-1).propagated(ThreadContext.NONE)
                .cleared(ThreadContext.NONE).build();
    }
}
