package dev.tether.agent;

import dev.tether.session.Cancellation;
import dev.tether.session.SessionBusyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most one turn per session in this process. A second prompt is refused ({@code reject}) or waits its turn in
 * submission order ({@code queue}, a fair lock). Holds the cancellation handle of the running turn for abort.
 */
@ApplicationScoped
public class TurnRegistry {

    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private static final class Slot {
        // a semaphore, not a lock: the slot is taken on the request thread and released on the turn thread
        final Semaphore lock = new Semaphore(1, true);
        volatile Cancellation running;
    }

    /** A held turn slot; closing it (once; later closes do nothing) lets the next queued prompt start. */
    public final class Turn implements AutoCloseable {
        private final String sessionId;
        private final Slot slot;
        private final AtomicBoolean closed = new AtomicBoolean();
        final Cancellation cancellation = new Cancellation();

        private Turn(String sessionId, Slot slot) {
            this.sessionId = sessionId;
            this.slot = slot;
            slot.running = cancellation;
        }

        public Cancellation cancellation() {
            return cancellation;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            slot.running = null;
            slot.lock.release();
            slots.computeIfPresent(sessionId, (id, s) -> s.lock.availablePermits() == 0 || s.lock.hasQueuedThreads()
                    ? s : null);
        }
    }

    /** Takes the session's turn slot, or fails with 409 ({@code queue=false}), or waits for it ({@code queue=true}). */
    public Turn begin(String sessionId, boolean queue) {
        while (true) {
            Slot slot = slots.computeIfAbsent(sessionId, id -> new Slot());
            if (queue) {
                slot.lock.acquireUninterruptibly();
            } else if (!slot.lock.tryAcquire()) {
                throw new SessionBusyException("A turn is already running on session " + sessionId);
            }
            if (closing) {
                slot.lock.release();
                throw new SessionBusyException("The service is shutting down");
            }
            // the slot may have been retired between lookup and locking; then take the current one
            if (slots.get(sessionId) == slot) {
                return new Turn(sessionId, slot);
            }
            slot.lock.release();
        }
    }

    /** Whether a turn is running on the session. */
    public boolean isRunning(String sessionId) {
        Slot slot = slots.get(sessionId);
        return slot != null && slot.running != null;
    }

    /**
     * Shutdown: refuses new turns (also queued ones that have not started) and cancels every running turn, which then
     * ends as {@code aborted} with its terminal event. Returns how many were cancelled.
     */
    public int abortAll() {
        closing = true;
        int n = 0;
        for (Slot slot : slots.values()) {
            Cancellation c = slot.running;
            if (c != null && c.cancel()) {
                n++;
            }
        }
        return n;
    }

    /** Cancels the running turn; false when none runs. */
    public boolean abort(String sessionId) {
        Slot slot = slots.get(sessionId);
        Cancellation c = slot == null ? null : slot.running;
        return c != null && c.cancel();
    }
}
