package dev.tether.event;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One subscriber's bounded queue (spec §5.5) and its Reactive Streams subscription. The bus offers events under its
 * emit lock; offering never blocks and never calls the subscriber. Events are handed downstream only against its
 * demand: inline when it requests, else on the delivery executor, so a slow subscriber never slows the emitter or
 * the other subscribers. One downstream subscriber only.
 *
 * <p>Buffer policy: at most {@code bound} events; when full, a new ephemeral event is dropped (for this subscriber
 * only), a new durable event evicts the oldest buffered ephemeral event or, if only durable ones are buffered, is
 * queued beyond the bound. More than {@code durableBacklog} buffered durable events end the subscription with
 * {@link SubscriberLaggedException}. An ephemeral event only enters while fewer than {@code bound} events are
 * buffered, so every buffered ephemeral event sits within the first {@code bound} positions: eviction scans at most
 * that many.
 *
 * <p>Replay ({@code afterSeq != null}): the subscriber is registered with the bus first and buffers live events; once
 * subscribed, the journal is read on the executor; its events after {@code afterSeq} are delivered first, then the
 * live buffer without everything up to the last replayed sequence (no gap, no duplicate).
 */
final class EventSubscriber implements Flow.Publisher<BusEvent>, Flow.Subscription {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);

    private final SessionBus bus;
    private final int bound;
    private final int durableBacklog;
    private final Executor executor;
    private final BusMetrics metrics;
    private final ReplaySource replaySource;
    private final long replayAfter;
    private final AtomicInteger wip = new AtomicInteger();

    // Guarded by this.
    private final ArrayDeque<BusEvent> buffer = new ArrayDeque<>();
    private ArrayDeque<BusEvent> replayed = new ArrayDeque<>();
    private int durableBuffered;
    private int ephemeralBuffered;
    private boolean replayPending;
    private long requested;
    private Flow.Subscriber<? super BusEvent> downstream;
    private boolean subscribedOnce;
    private Throwable failure;
    private boolean completeWhenDrained;
    private boolean done;
    private long lastDeliveredSeq = -1;

    EventSubscriber(SessionBus bus, BusSettings settings, Executor executor, BusMetrics metrics,
                    ReplaySource replaySource, Long replayAfter) {
        this.bus = bus;
        this.bound = settings.subscriberBuffer();
        this.durableBacklog = settings.durableBacklog();
        this.executor = executor;
        this.metrics = metrics;
        this.replaySource = replaySource;
        this.replayPending = replayAfter != null;
        this.replayAfter = replayAfter == null ? -1 : replayAfter;
        if (replayAfter != null) {
            this.lastDeliveredSeq = replayAfter;
        }
    }

    /** Called by the bus, in emission order, under its emit lock. Never blocks, never calls downstream. */
    void offer(BusEvent event) {
        boolean deliverable;
        synchronized (this) {
            if (done || failure != null || completeWhenDrained) {
                return;
            }
            if (event.isDurable()) {
                if (buffer.size() >= bound && ephemeralBuffered > 0) {
                    evictOldestEphemeral();
                }
                buffer.addLast(event);
                durableBuffered++;
                if (durableBuffered > durableBacklog) {
                    lag();
                }
            } else {
                if (buffer.size() >= bound) {
                    metrics.dropped();
                    return;
                }
                buffer.addLast(event);
                ephemeralBuffered++;
            }
            deliverable = downstream != null && !replayPending && (requested > 0 || failure != null);
        }
        if (deliverable) {
            schedule();
        }
    }

    /** The bus was closed (session deleted): complete once the buffered events are delivered. */
    void complete() {
        boolean deliverable;
        synchronized (this) {
            if (done || failure != null) {
                return;
            }
            completeWhenDrained = true;
            deliverable = downstream != null;
        }
        if (deliverable) {
            schedule();
        }
    }

    private void evictOldestEphemeral() {
        for (Iterator<BusEvent> it = buffer.iterator(); it.hasNext(); ) {
            if (!it.next().isDurable()) {
                it.remove();
                ephemeralBuffered--;
                metrics.dropped();
                return;
            }
        }
    }

    private void lag() {
        failure = new SubscriberLaggedException(bus.sessionId(), resumeAfter(), durableBacklog);
        clearBuffers();
        bus.unregister(this);
    }

    private long resumeAfter() {
        if (lastDeliveredSeq >= 0) {
            return lastDeliveredSeq;
        }
        for (BusEvent e : replayed) {
            if (e.seq() != null) {
                return Math.max(0, e.seq() - 1);
            }
        }
        for (BusEvent e : buffer) {
            if (e.seq() != null) {
                return Math.max(0, e.seq() - 1);
            }
        }
        return 0;
    }

    private void clearBuffers() {
        buffer.clear();
        replayed.clear();
        durableBuffered = 0;
        ephemeralBuffered = 0;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super BusEvent> subscriber) {
        boolean replay;
        synchronized (this) {
            if (subscribedOnce) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(new IllegalStateException("a bus subscription takes one subscriber"));
                return;
            }
            subscribedOnce = true;
            downstream = subscriber;
            replay = replayPending;
        }
        subscriber.onSubscribe(this);
        if (replay) {
            // The journal read blocks: never on the caller's thread, which may be the event loop.
            try {
                executor.execute(this::replay);
            } catch (RejectedExecutionException e) {
                fail(e);
            }
        } else {
            schedule();
        }
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
        synchronized (this) {
            if (done || failure != null) {
                return;
            }
            long last = replayAfter;
            for (BusEvent e : events) {
                if (e.seq() != null && e.seq() > last) {
                    replayed.addLast(e);
                    last = e.seq();
                }
            }
            // Live events up to the last replayed one were already read from the journal (durable) or are older
            // than it (ephemeral, which may be lost): drop them so nothing is delivered twice or out of order.
            int cut = -1;
            int i = 0;
            for (BusEvent e : buffer) {
                if (e.seq() != null && e.seq() <= last) {
                    cut = i;
                }
                i++;
            }
            for (int k = 0; k <= cut; k++) {
                BusEvent e = buffer.pollFirst();
                if (e.isDurable()) {
                    durableBuffered--;
                } else {
                    ephemeralBuffered--;
                }
            }
            replayPending = false;
        }
        schedule();
    }

    private void fail(Throwable t) {
        synchronized (this) {
            if (done || failure != null) {
                return;
            }
            failure = t;
            replayPending = false;
            clearBuffers();
        }
        bus.unregister(this);
        schedule();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request must be positive (reactive streams rule 3.9), was " + n));
            return;
        }
        synchronized (this) {
            long r = requested + n;
            requested = r < 0 ? Long.MAX_VALUE : r;
        }
        // Delivery on the subscriber's own demand: on the requesting thread (re-entrant calls just loop once more).
        if (wip.getAndIncrement() == 0) {
            drain();
        }
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            clearBuffers();
        }
        bus.unregister(this);
    }

    private void schedule() {
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // Shutting down: deliver on this thread rather than lose the terminal signal.
                drain();
            }
        }
    }

    /** Serialized by {@code wip}: one thread at a time hands events downstream, in order. */
    private void drain() {
        int missed = 1;
        for (; ; ) {
            for (; ; ) {
                Flow.Subscriber<? super BusEvent> s;
                BusEvent next = null;
                Throwable error = null;
                boolean complete = false;
                synchronized (this) {
                    s = downstream;
                    if (done || s == null || replayPending) {
                        break;
                    }
                    if (failure != null) {
                        error = failure;
                        done = true;
                    } else if (requested > 0 && (next = poll()) != null) {
                        if (requested != Long.MAX_VALUE) {
                            requested--;
                        }
                    } else if (completeWhenDrained && replayed.isEmpty() && buffer.isEmpty()) {
                        complete = true;
                        done = true;
                    } else {
                        break;
                    }
                }
                if (error != null) {
                    s.onError(error);
                    break;
                }
                if (complete) {
                    s.onComplete();
                    break;
                }
                try {
                    s.onNext(next);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "subscriber of session %s failed on an event; cancelling it", bus.sessionId());
                    cancel();
                    break;
                }
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private BusEvent poll() {
        BusEvent e = replayed.pollFirst();
        if (e == null) {
            e = buffer.pollFirst();
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
