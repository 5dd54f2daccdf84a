package dev.tether.event;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One subscriber of a {@link SessionBus}: offered every event by the bus's {@link Fanout}, it keeps the subscriber's
 * {@link PendingEvents} and hands them to a Mutiny emitter, as far as the subscriber requested, on the executor.
 *
 * <p>Why a class of its own rather than {@code onOverflow()}: Mutiny's overflow strategies (the {@code onOverflow()}
 * group, the emitters' {@link BackPressureStrategy}) treat all items alike, while §5.5 drops only ephemeral events,
 * lets a durable event evict an ephemeral one, and cuts the subscriber off with {@link SubscriberLaggedException} past
 * the durable backlog. And {@code emitOn} requests ahead of demand, which would take events out of that policy's
 * reach. So this class owns the buffer and the hand-over; demand, cancellation and the one-subscriber rule are the
 * emitter's.
 *
 * <p>Threads: {@link #onItem} runs on the emitting thread under the bus's emit lock. It never waits: when another
 * thread holds this buffer's lock (a delivery thread, perhaps preempted on a busy machine), the event goes to a
 * lock-free inbox that the holder takes in after releasing the lock; a drain it wakes is started by the bus once the
 * event is in every buffer. Events go downstream on the executor, one drain at a time, in batches.
 *
 * <p>Replay ({@code afterSeq != null}): live events are buffered from registration on; once subscribed, the journal
 * is read on the executor, and its events go first (see {@link PendingEvents#replayFirst}). The cut is made under the
 * emit lock, so every event the journal returned has reached this buffer by then: no gap, no duplicate.
 */
final class SubscriberBuffer {

    private static final Logger LOG = Logger.getLogger(SubscriberBuffer.class);
    private static final int BATCH = 64;

    private final SessionBus bus;
    private final Executor executor;
    private final DrainStarter drains;
    private final Runnable drain = this::drain;
    private final ReplaySource replaySource;
    private final long replayAfter;
    /** Used by the one running drain only. */
    private final BusEvent[] batch = new BusEvent[BATCH];
    /** Events from the bus not yet taken in, in emission order. */
    private final Queue<BusEvent> inbox = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private final PendingEvents pending;
    private boolean replayPending;
    private MultiEmitter<? super BusEvent> downstream;
    private Throwable failure;
    private boolean busClosed;
    private boolean finished;
    private boolean draining;

    SubscriberBuffer(SessionBus bus, BusSettings settings, Executor executor, DrainStarter drains,
                     BusMetrics metrics, ReplaySource replaySource, Long afterSeq) {
        this.bus = bus;
        this.executor = executor;
        this.drains = drains;
        this.replaySource = replaySource;
        this.replayPending = afterSeq != null;
        this.replayAfter = afterSeq == null ? -1 : afterSeq;
        this.pending = new PendingEvents(settings, metrics, replayAfter);
    }

    /** The subscriber's stream: one subscriber only. */
    Multi<BusEvent> events() {
        // ERROR: the drain never emits beyond demand, so an overflow would be a bug here, not a slow subscriber.
        return Multi.createFrom().<BusEvent>emitter(this::attach, BackPressureStrategy.ERROR);
    }

    private void attach(MultiEmitter<? super BusEvent> emitter) {
        boolean first = locked(() -> {
            if (downstream != null) {
                return false;
            }
            downstream = emitter;
            return true;
        });
        if (!first) {
            emitter.fail(new IllegalStateException("a bus subscription takes one subscriber"));
            return;
        }
        emitter.onRequest(n -> wake()).onTermination(this::release);
        if (!replayAfterSubscription()) {
            wake();
        }
    }

    private boolean replayAfterSubscription() {
        if (!locked(() -> replayPending)) {
            return false;
        }
        // The journal read blocks: never on the subscribing thread, which may be an event loop.
        try {
            executor.execute(this::replay);
        } catch (RejectedExecutionException e) {
            fail(e);
        }
        return true;
    }

    /** An event from the bus, in emission order, under its emit lock. */
    void onItem(BusEvent event) {
        if (!lock.tryLock()) {
            inbox.offer(event);
            settle(true);
            return;
        }
        boolean lagged;
        boolean wake;
        try {
            lagged = takeInbox() | take(event);
            wake = drainNeeded();
        } finally {
            lock.unlock();
        }
        afterTaking(lagged, wake, true);
    }

    /** Takes in the inbox unless another thread holds the lock; every holder calls it after releasing the lock. */
    private void settle(boolean emitting) {
        boolean lagged = false;
        boolean wake = false;
        while (!inbox.isEmpty() && lock.tryLock()) {
            try {
                lagged |= takeInbox();
                wake |= drainNeeded();
            } finally {
                lock.unlock();
            }
        }
        afterTaking(lagged, wake, emitting);
    }

    private void afterTaking(boolean lagged, boolean wake, boolean emitting) {
        if (lagged) {
            bus.unregister(this);
        }
        if (wake && emitting) {
            bus.woke(drain);
        } else if (wake) {
            drains.submit(drain);
        }
    }

    /** Under the lock. Returns whether the subscriber was cut off now. */
    private boolean takeInbox() {
        boolean lagged = false;
        for (BusEvent event; (event = inbox.poll()) != null; ) {
            lagged |= take(event);
        }
        return lagged;
    }

    /** Under the lock. Returns whether the subscriber was cut off now. */
    private boolean take(BusEvent event) {
        if (finished || failure != null || busClosed || pending.offer(event)) {
            return false;
        }
        failure = new SubscriberLaggedException(bus.sessionId(), pending.resumeAfter(), pending.durableBacklog());
        pending.clear();
        return true;
    }

    /** The bus was closed (session deleted): complete once the buffered events are delivered. */
    void onCompletion() {
        boolean lagged = locked(() -> {
            boolean cutOff = takeInbox();
            busClosed = true;
            return cutOff;
        });
        afterTaking(lagged, false, false);
        wake();
    }

    private void replay() {
        List<BusEvent> journal;
        try {
            journal = replaySource.eventsAfter(replayAfter);
        } catch (RuntimeException e) {
            LOG.warnf(e, "replay of session %s after %d failed", bus.sessionId(), replayAfter);
            fail(e);
            return;
        }
        boolean[] lagged = new boolean[1];
        bus.exclusive(() -> lagged[0] = locked(() -> {
            boolean cutOff = takeInbox();
            if (!finished && failure == null) {
                pending.replayFirst(journal, replayAfter);
            }
            replayPending = false;
            return cutOff;
        }));
        afterTaking(lagged[0], false, false);
        wake();
    }

    private void fail(Throwable t) {
        boolean failed = locked(() -> {
            if (finished || failure != null) {
                return false;
            }
            failure = t;
            pending.clear();
            return true;
        });
        if (failed) {
            bus.unregister(this);
            wake();
        }
    }

    /** On cancellation or after the terminal signal. */
    private void release() {
        locked(() -> {
            finished = true;
            inbox.clear();
            pending.clear();
            return true;
        });
        bus.unregister(this);
    }

    private void wake() {
        afterTaking(false, locked(this::drainNeeded), false);
        settle(false);
    }

    /** Under the lock: whether a drain must start now; if so, it is marked as started. */
    private boolean drainNeeded() {
        if (draining || finished || downstream == null) {
            return false;
        }
        if (failure != null || !replayPending && (pending.isEmpty() ? busClosed : downstream.requested() > 0)) {
            draining = true;
            return true;
        }
        return false;
    }

    /** Hands over what was requested, then the terminal signal; runs once at a time (see {@code draining}). */
    private void drain() {
        for (; ; ) {
            MultiEmitter<? super BusEvent> out;
            Throwable error = null;
            boolean lagged;
            boolean idle = false;
            int n = 0;
            lock.lock();
            try {
                out = downstream;
                if (finished) {
                    return;
                }
                lagged = takeInbox();
                if (failure != null) {
                    error = failure;
                    finished = true;
                } else if (!replayPending) {
                    long requested = out.requested();
                    for (BusEvent e; n < BATCH && n < requested && (e = pending.poll()) != null; ) {
                        batch[n++] = e;
                    }
                }
                if (error == null && n == 0) {
                    idle = !busClosed || replayPending || !pending.isEmpty();
                    draining = !idle;
                    finished = !idle;
                }
            } finally {
                lock.unlock();
            }
            afterTaking(lagged, false, false);
            if (error != null) {
                out.fail(error);
                return;
            }
            if (idle) {
                settle(false);
                return;
            }
            if (n == 0) {
                out.complete();
                return;
            }
            if (!emit(out, n)) {
                return;
            }
        }
    }

    private boolean emit(MultiEmitter<? super BusEvent> out, int n) {
        try {
            for (int i = 0; i < n; i++) {
                BusEvent e = batch[i];
                batch[i] = null;
                out.emit(e);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf(e, "subscriber of session %s failed on an event; cancelling it", bus.sessionId());
            Arrays.fill(batch, null);
            release();
            return false;
        }
    }

    private boolean locked(BooleanSupplier action) {
        lock.lock();
        try {
            return action.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }
}
