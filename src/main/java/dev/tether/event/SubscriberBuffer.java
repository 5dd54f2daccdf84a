package dev.tether.event;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One subscriber of a {@link SessionBus}: it takes the bus's events in from the {@link EventLog} into the subscriber's
 * {@link PendingEvents} and hands them to a Mutiny emitter, as far as the subscriber requested, on the executor.
 *
 * <p>Why a class of its own rather than {@code onOverflow()}: Mutiny's overflow strategies (the {@code onOverflow()}
 * group, the emitters' {@link BackPressureStrategy}) treat all items alike, while §5.5 drops only ephemeral events,
 * lets a durable event evict an ephemeral one, and cuts the subscriber off with {@link SubscriberLaggedException} past
 * the durable backlog. And {@code emitOn} requests ahead of demand, which would take events out of that policy's
 * reach. So this class owns the buffer and the hand-over; demand, cancellation and the one-subscriber rule are the
 * emitter's.
 *
 * <p>Threads: the emitting thread only appends to the log and calls {@link #schedule}, which never waits. Everything
 * else runs in the one drain ({@code scheduled} is true from when it is queued until it finds nothing to do), on the
 * executor: it takes in what the log holds past this subscriber's cursor, applying the policy, and delivers in
 * batches. Whoever makes work for the drain (an emit, a request, completion, a failure, the end of a replay) changes
 * that state first and then schedules the drain; a drain that stops clears {@code scheduled} first and then looks
 * again, so no work is left without a drain.
 *
 * <p>Replay ({@code afterSeq != null}): live events are taken in from registration on; once subscribed, the journal
 * is read on the executor, and its events go first (see {@link PendingEvents#replayFirst}). The cut is made under the
 * emit lock after taking in the whole log, so every event the journal returned has reached this buffer by then: no
 * gap, no duplicate.
 */
final class SubscriberBuffer {

    private static final Logger LOG = Logger.getLogger(SubscriberBuffer.class);
    private static final int BATCH = 64;

    private final SessionBus bus;
    private final Executor executor;
    private final DrainStarter drains;
    private final BusMetrics metrics;
    private final Runnable drain = this::drain;
    private final ReplaySource replaySource;
    private final long replayAfter;
    /** Used by the one running drain only. */
    private final BusEvent[] batch = new BusEvent[BATCH];
    /** Whether the drain is queued or running. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private final PendingEvents pending;
    /** Where this subscriber reads the bus's events; {@code null} before joining and after the end. */
    private EventLog.Cursor cursor;
    private boolean replayPending;
    private MultiEmitter<? super BusEvent> downstream;
    private Throwable failure;
    private boolean busClosed;
    private boolean finished;

    SubscriberBuffer(SessionBus bus, BusSettings settings, Executor executor, DrainStarter drains,
                     BusMetrics metrics, ReplaySource replaySource, Long afterSeq) {
        this.bus = bus;
        this.executor = executor;
        this.drains = drains;
        this.metrics = metrics;
        this.replaySource = replaySource;
        this.replayPending = afterSeq != null;
        this.replayAfter = afterSeq == null ? -1 : afterSeq;
        this.pending = new PendingEvents(settings, replayAfter);
    }

    /** Under the bus's emit lock, when joining: the events from {@code start} on are this subscriber's. */
    void startAt(EventLog.Cursor start) {
        locked(() -> {
            cursor = start;
            return true;
        });
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

    /**
     * After events were appended to the log (any thread, never waits): whether the caller must start
     * {@link #drainTask()}, i.e. no drain was queued or running.
     */
    boolean schedule() {
        return !scheduled.get() && scheduled.compareAndSet(false, true);
    }

    Runnable drainTask() {
        return drain;
    }

    /** Under the lock: takes in the log's new events. Returns whether the subscriber was cut off now. */
    private boolean takeIn() {
        boolean lagged = false;
        if (cursor != null) {
            for (BusEvent event; (event = cursor.next()) != null; ) {
                lagged |= take(event);
            }
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
            boolean cutOff = takeIn();
            busClosed = true;
            cursor = null;
            return cutOff;
        });
        afterTakingIn(lagged);
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
            boolean cutOff = takeIn();
            if (!finished && failure == null) {
                pending.replayFirst(journal, replayAfter);
            }
            replayPending = false;
            return cutOff;
        }));
        afterTakingIn(lagged[0]);
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
            cursor = null;
            pending.clear();
            return true;
        });
        bus.unregister(this);
    }

    private void afterTakingIn(boolean lagged) {
        int dropped = takeDropped();
        if (dropped > 0) {
            metrics.dropped(dropped);
        }
        if (lagged) {
            bus.unregister(this);
        }
    }

    private int takeDropped() {
        lock.lock();
        try {
            return pending.takeDropped();
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        if (schedule()) {
            drains.submit(drain);
        }
    }

    /** Under the lock: whether the drain has something to do. */
    private boolean workWaiting() {
        if (finished) {
            return false;
        }
        if (cursor != null && cursor.hasNext()) {
            return true;
        }
        return downstream != null && (failure != null
                || !replayPending && (pending.isEmpty() ? busClosed : downstream.requested() > 0));
    }

    /** Takes in, hands over what was requested, then the terminal signal; runs once at a time (see {@code scheduled}). */
    private void drain() {
        for (; ; ) {
            MultiEmitter<? super BusEvent> out;
            Throwable error = null;
            boolean complete = false;
            boolean lagged;
            int dropped;
            int n = 0;
            lock.lock();
            try {
                if (finished) {
                    return;
                }
                out = downstream;
                lagged = takeIn();
                dropped = pending.takeDropped();
                if (out != null && failure != null) {
                    error = failure;
                    finished = true;
                } else if (out != null && !replayPending) {
                    long requested = out.requested();
                    for (BusEvent e; n < BATCH && n < requested && (e = pending.poll()) != null; ) {
                        batch[n++] = e;
                    }
                    complete = n == 0 && busClosed && pending.isEmpty();
                    finished = complete;
                }
            } finally {
                lock.unlock();
            }
            if (dropped > 0) {
                metrics.dropped(dropped);
            }
            if (lagged) {
                bus.unregister(this);
            }
            if (error != null) {
                out.fail(error);
                return;
            }
            if (complete) {
                out.complete();
                return;
            }
            if (n > 0) {
                if (!emit(out, n)) {
                    return;
                }
            } else {
                scheduled.set(false);
                if (!locked(this::workWaiting) || !schedule()) {
                    return;
                }
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
