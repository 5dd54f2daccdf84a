package dev.tether.event;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits the drains of the subscribers an emit woke to the executor, on behalf of the emitting thread. One emit may
 * wake every subscriber of the session; a task per subscriber submitted from the emitting thread would make each emit
 * pay for the executor's queue and thread wake-ups, and wait on its locks while delivery threads hold them. So the
 * emitting thread hands over the drains an emit woke in one go (lock-free), and one task at a time submits them.
 */
final class DrainStarter implements Runnable {

    private final Executor executor;
    private final Queue<List<Runnable>> drains = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();

    DrainStarter(Executor executor) {
        this.executor = executor;
    }

    /** Queues {@code woken}; each runs on the executor soon, on its own task. Never blocks. */
    void start(List<Runnable> woken) {
        drains.offer(woken);
        if (wip.getAndIncrement() == 0) {
            submit(this);
        }
    }

    @Override
    public void run() {
        int missed = 1;
        do {
            for (List<Runnable> woken; (woken = drains.poll()) != null; ) {
                woken.forEach(this::submit);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Runs {@code task} on the executor, or here when it refuses (shutting down: a terminal signal is not lost). */
    void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }
}
