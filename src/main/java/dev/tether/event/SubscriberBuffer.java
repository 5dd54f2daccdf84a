package dev.tether.event;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One subscriber of a {@link SessionBus}: a subscriber of the bus's broadcast that keeps the subscriber's bounded
 * buffer (spec §5.5) and hands its events to a Mutiny emitter, against the subscriber's demand, on the executor.
 *
 * <p>Why a class of its own rather than {@code onOverflow()}: Mutiny's overflow strategies (the {@code onOverflow()}
 * group, the emitters' {@link BackPressureStrategy}) treat all items alike, while §5.5 drops only ephemeral events,
 * lets a durable event evict the oldest buffered ephemeral one (else queues it beyond the bound), and cuts the
 * subscriber off with {@link SubscriberLaggedException} past the durable backlog. And {@code emitOn} requests ahead of
 * demand, which would take events out of this policy's reach. So this class owns the buffer, the policy and the
 * hand-over; demand, cancellation and the one-subscriber rule are the emitter's.
 *
 * <p>Threads: {@link #onItem} runs on the emitting thread under the bus's emit lock. It never waits and never calls
 * downstream: it appends to a lock-free inbox and applies the policy only if the buffer's lock is free; otherwise
 * whoever holds the lock (a delivery thread, preempted perhaps on a busy machine) does so after releasing it. Events go
 * downstream on the executor, one drain at a time, in batches of what was requested.
 *
 * <p>Replay ({@code afterSeq != null}): live events are buffered from registration on; once subscribed, the journal
 * is read on the executor, and its events after {@code afterSeq} go first, then the live buffer without everything up
 * to the last replayed sequence (no gap, no duplicate: the cut is made under the emit lock, so every event the
 * journal returned has reached the buffer by then).
 */
final class SubscriberBuffer implements MultiSubscriber<BusEvent> {

    private static final Logger LOG = Logger.getLogger(SubscriberBuffer.class);
    private static final int BATCH = 64;

    private final SessionBus bus;
    private final int bound;
    private final int durableBacklog;
    private final Executor executor;
    private final DrainStarter drains;
    private final Runnable drain = this::drain;
    private final BusMetrics metrics;
    private final ReplaySource replaySource;
    private final long replayAfter;
    /** Used by the one running drain only. */
    private final BusEvent[] batch = new BusEvent[BATCH];
    private volatile Flow.Subscription broadcast;
    /** Events from the bus not yet taken into the buffer, in emission order. */
    private final Queue<BusEvent> inbox = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private final ArrayDeque<BusEvent> live;
    private final ArrayDeque<BusEvent> replayed = new ArrayDeque<>();
    private int durableBuffered;
    private int ephemeralBuffered;
    private boolean replayPending;
    private long lastDeliveredSeq;
    private MultiEmitter<? super BusEvent> downstream;
    private Throwable failure;
    private boolean busClosed;
    private boolean finished;
    private boolean draining;

    SubscriberBuffer(SessionBus bus, BusSettings settings, Executor executor, DrainStarter drains,
                     BusMetrics metrics, ReplaySource replaySource, Long afterSeq) {
        this.bus = bus;
        this.bound = settings.subscriberBuffer();
        this.durableBacklog = settings.durableBacklog();
        this.live = new ArrayDeque<>(Math.min(bound, 256));
        this.executor = executor;
        this.drains = drains;
        this.metrics = metrics;
        this.replaySource = replaySource;
        this.replayPending = afterSeq != null;
        this.replayAfter = afterSeq == null ? -1 : afterSeq;
        this.lastDeliveredSeq = replayAfter;
    }

    /** The subscriber's stream: one subscriber only. */
    Multi<BusEvent> events() {
        // ERROR: the drain never emits beyond demand, so an overflow would be a bug here, not a slow subscriber.
        return Multi.createFrom().<BusEvent>emitter(this::attach, BackPressureStrategy.ERROR);
    }

    private void attach(MultiEmitter<? super BusEvent> emitter) {
        boolean replay;
        lock.lock();
        try {
            replay = replayPending;
            if (downstream == null) {
                downstream = emitter;
                emitter = null;
            }
        } finally {
            lock.unlock();
        }
        if (emitter != null) {
            emitter.fail(new IllegalStateException("a bus subscription takes one subscriber"));
            return;
        }
        downstream.onRequest(n -> wake()).onTermination(this::release);
        if (replay) {
            // The journal read blocks: never on the subscribing thread, which may be an event loop.
            try {
                executor.execute(this::replay);
            } catch (RejectedExecutionException e) {
                fail(e);
            }
        } else {
            wake();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        broadcast = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    /** An event from the bus, in emission order, under its emit lock. */
    @Override
    public void onItem(BusEvent event) {
        if (!lock.tryLock()) {
            inbox.offer(event);
            settle(true);
            return;
        }
        boolean lagged;
        boolean wake;
        try {
            lagged = takeInbox() | accept(event);
            wake = drainNeeded();
        } finally {
            lock.unlock();
        }
        afterPolicy(lagged, wake, true);
    }

    /**
     * Takes the inbox into the buffer unless another thread holds the lock. Everyone calls it after releasing the
     * lock, so an event that found the lock taken is taken in by the holder.
     */
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
        afterPolicy(lagged, wake, emitting);
    }

    private void afterPolicy(boolean lagged, boolean wake, boolean emitting) {
        if (lagged) {
            bus.unregister(this);
        }
        if (wake) {
            if (emitting) {
                bus.woke(drain);
            } else {
                drains.submit(drain);
            }
        }
    }

    /** Under the lock: takes in the inbox. Returns whether the subscriber was cut off now. */
    private boolean takeInbox() {
        boolean lagged = false;
        for (BusEvent event; (event = inbox.poll()) != null; ) {
            lagged |= accept(event);
        }
        return lagged;
    }

    /** Under the lock: the policy of §5.5 for a new event. Returns whether the subscriber was cut off now. */
    private boolean accept(BusEvent event) {
        if (finished || failure != null || busClosed) {
            return false;
        }
        if (event.isDurable()) {
            if (live.size() >= bound && ephemeralBuffered > 0) {
                evictOldestEphemeral();
            }
            live.addLast(event);
            if (++durableBuffered > durableBacklog) {
                failure = new SubscriberLaggedException(bus.sessionId(), resumeAfter(), durableBacklog);
                clear();
                return true;
            }
        } else if (live.size() >= bound) {
            metrics.dropped();
        } else {
            live.addLast(event);
            ephemeralBuffered++;
        }
        return false;
    }

    /** The bus was closed (session deleted): complete once the buffered events are delivered. */
    @Override
    public void onCompletion() {
        boolean lagged;
        lock.lock();
        try {
            lagged = takeInbox();
            busClosed = true;
        } finally {
            lock.unlock();
        }
        if (lagged) {
            bus.unregister(this);
        }
        wake();
    }

    @Override
    public void onFailure(Throwable t) {
        fail(t);
    }

    /** Leaves the broadcast; the bus calls it under its emit lock. */
    void leaveBroadcast() {
        Flow.Subscription s = broadcast;
        if (s != null) {
            s.cancel();
        }
    }

    private void evictOldestEphemeral() {
        for (Iterator<BusEvent> it = live.iterator(); it.hasNext(); ) {
            if (!it.next().isDurable()) {
                it.remove();
                ephemeralBuffered--;
                metrics.dropped();
                return;
            }
        }
    }

    /**
     * The last durable event delivered or, when none was, the one just before the first that was not (0 when
     * unknown: replay from the start).
     */
    private long resumeAfter() {
        if (lastDeliveredSeq >= 0) {
            return lastDeliveredSeq;
        }
        for (ArrayDeque<BusEvent> events : List.of(replayed, live)) {
            for (BusEvent e : events) {
                if (e.seq() != null) {
                    return Math.max(0, e.seq() - 1);
                }
            }
        }
        return 0;
    }

    private void replay() {
        List<BusEvent> events;
        try {
            events = replaySource.eventsAfter(replayAfter);
        } catch (RuntimeException e) {
            LOG.warnf(e, "replay of session %s after %d failed", bus.sessionId(), replayAfter);
            fail(e);
            return;
        }
        boolean[] lagged = new boolean[1];
        bus.exclusive(() -> {
            lock.lock();
            try {
                lagged[0] = takeInbox();
                goLive(events);
            } finally {
                lock.unlock();
            }
        });
        if (lagged[0]) {
            bus.unregister(this);
        }
        wake();
    }

    private void goLive(List<BusEvent> events) {
        if (finished || failure != null) {
            return;
        }
        long last = replayAfter;
        for (BusEvent e : events) {
            if (e.seq() != null && e.seq() > last) {
                replayed.addLast(e);
                last = e.seq();
            }
        }
        // Live events up to the last replayed one were read from the journal (durable) or are older than it
        // (ephemeral, which may be lost): drop them so that nothing comes twice or out of order.
        int cut = 0;
        int i = 0;
        for (BusEvent e : live) {
            i++;
            if (e.seq() != null && e.seq() <= last) {
                cut = i;
            }
        }
        for (int k = 0; k < cut; k++) {
            if (live.pollFirst().isDurable()) {
                durableBuffered--;
            } else {
                ephemeralBuffered--;
            }
        }
        replayPending = false;
    }

    private void fail(Throwable t) {
        lock.lock();
        try {
            if (finished || failure != null) {
                return;
            }
            failure = t;
            clear();
        } finally {
            lock.unlock();
        }
        bus.unregister(this);
        wake();
    }

    /** On cancellation or after the terminal signal. */
    private void release() {
        lock.lock();
        try {
            finished = true;
            clear();
        } finally {
            lock.unlock();
        }
        bus.unregister(this);
    }

    private void clear() {
        inbox.clear();
        live.clear();
        replayed.clear();
        durableBuffered = 0;
        ephemeralBuffered = 0;
    }

    private void wake() {
        boolean wake;
        lock.lock();
        try {
            wake = drainNeeded();
        } finally {
            lock.unlock();
        }
        afterPolicy(false, wake, false);
        settle(false);
    }

    /** Under the lock: whether a drain must start now; if so, it is marked as started. */
    private boolean drainNeeded() {
        if (draining || finished || downstream == null) {
            return false;
        }
        if (failure != null || !replayPending
                && (live.isEmpty() && replayed.isEmpty() ? busClosed : downstream.requested() > 0)) {
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
                    for (BusEvent e; n < BATCH && n < requested && (e = poll()) != null; ) {
                        batch[n++] = e;
                    }
                }
                if (error == null && n == 0) {
                    idle = !busClosed || replayPending || !live.isEmpty() || !replayed.isEmpty();
                    draining = !idle;
                    finished = !idle;
                }
            } finally {
                lock.unlock();
            }
            if (lagged) {
                bus.unregister(this);
            }
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
            try {
                for (int i = 0; i < n; i++) {
                    BusEvent e = batch[i];
                    batch[i] = null;
                    out.emit(e);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "subscriber of session %s failed on an event; cancelling it", bus.sessionId());
                Arrays.fill(batch, null);
                release();
                return;
            }
        }
    }

    private BusEvent poll() {
        BusEvent e = replayed.pollFirst();
        if (e == null) {
            e = live.pollFirst();
            if (e == null) {
                return null;
            }
            if (e.isDurable()) {
                durableBuffered--;
            } else {
                ephemeralBuffered--;
            }
        }
        if (e.seq() != null) {
            lastDeliveredSeq = e.seq();
        }
        return e;
    }
}
