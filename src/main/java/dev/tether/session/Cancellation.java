package dev.tether.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cancellation handle of one turn. Cancelling runs the registered callbacks once (cancel an HTTP exchange, interrupt
 * a tool thread, kill a process tree); callbacks registered afterwards run at once.
 */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    /** Cancels; returns false when it was already cancelled. */
    public boolean cancel() {
        if (!cancelled.compareAndSet(false, true)) {
            return false;
        }
        for (Runnable r : callbacks) {
            runQuietly(r);
        }
        return true;
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Registers a callback; closing the returned registration unregisters it. Runs it at once when already cancelled.
     */
    public Registration onCancel(Runnable callback) {
        callbacks.add(callback);
        if (cancelled.get() && callbacks.remove(callback)) {
            runQuietly(callback);
        }
        return () -> callbacks.remove(callback);
    }

    /**
     * A registered cancel callback, closed (unregistered) in a try-with-resources; closing cannot fail, so callers
     * need no {@code catch (Exception)} around it.
     */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Throws {@link CancelledException} when cancelled: a cancellation point. */
    public void check() {
        if (cancelled.get()) {
            throw new CancelledException();
        }
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // a failing cancel callback must not keep the others from running
        }
    }

    /** Thrown at a cancellation point of a cancelled turn. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("the turn was cancelled", null, false, false);
        }
    }
}
