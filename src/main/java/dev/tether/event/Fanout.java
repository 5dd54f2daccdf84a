package dev.tether.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The subscriber side of one {@link SessionBus}: the {@link SubscriberBuffer}s an event goes to. {@link #offer},
 * {@link #join} and {@link #complete} run under the bus's emit lock: an offer appends the event to the bus's
 * {@link EventLog} once, and a buffer joins with a cursor at the log's end, so it never gets an event emitted before it
 * registered. Offering never blocks and never runs subscriber code: each buffer takes the events in (by its overflow
 * policy) and delivers them on the executor; an offer only schedules the drains that are not already scheduled,
 * together, once the event is in the log.
 *
 * <p>Why a plain array rather than Mutiny's {@code broadcast().toAllSubscribers()} (used before): its dispatch
 * queues each item and tracks each subscriber's demand with atomics, although every buffer takes every event at once
 * (the policy of §5.5 is the buffer's); that bookkeeping was most of an emit's cost with 200 subscribers. The array is
 * copied on change (joining and leaving are rare next to emitting), so an offer reads it without a lock, and leaving
 * needs no emit lock.
 */
final class Fanout {

    private static final SubscriberBuffer[] NONE = new SubscriberBuffer[0];

    private final BusMetrics metrics;
    private final DrainStarter drains;
    private final EventLog log = new EventLog();
    /** Copied on every change, under this object's monitor. */
    private volatile SubscriberBuffer[] subscribers = NONE;
    /** Drains the current offer scheduled (under the emit lock). */
    private final List<Runnable> woken = new ArrayList<>();

    Fanout(Executor executor, BusMetrics metrics) {
        this.metrics = metrics;
        this.drains = new DrainStarter(executor);
    }

    /** Adds a buffer: it gets the events offered from now on. */
    void join(SubscriberBuffer subscriber) {
        subscriber.startAt(log.end());
        synchronized (this) {
            SubscriberBuffer[] now = subscribers;
            SubscriberBuffer[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = subscriber;
            subscribers = next;
        }
        metrics.subscriberAdded();
    }

    /** Forgets a buffer (any thread, no emit lock); whether it was still registered. */
    boolean remove(SubscriberBuffer subscriber) {
        synchronized (this) {
            SubscriberBuffer[] now = subscribers;
            int at = -1;
            for (int i = 0; i < now.length && at < 0; i++) {
                if (now[i] == subscriber) {
                    at = i;
                }
            }
            if (at < 0) {
                return false;
            }
            SubscriberBuffer[] next = Arrays.copyOf(now, now.length - 1);
            System.arraycopy(now, at + 1, next, at, now.length - at - 1);
            subscribers = next;
        }
        metrics.subscriberRemoved();
        return true;
    }

    /** Appends events, in order, for every current buffer, then starts the drains not already scheduled. */
    void offer(List<BusEvent> events) {
        SubscriberBuffer[] targets = subscribers;
        if (targets.length == 0) {
            log.forget();
            return;
        }
        for (BusEvent e : events) {
            log.append(e);
        }
        for (SubscriberBuffer subscriber : targets) {
            if (subscriber.schedule()) {
                woken.add(subscriber.drainTask());
            }
        }
        if (!woken.isEmpty()) {
            drains.start(List.copyOf(woken));
            woken.clear();
        }
    }

    /** Ends every subscription after its buffered events. */
    void complete() {
        SubscriberBuffer[] ending;
        synchronized (this) {
            ending = subscribers;
            subscribers = NONE;
        }
        for (SubscriberBuffer subscriber : ending) {
            metrics.subscriberRemoved();
            subscriber.onCompletion();
        }
    }

    /** Starts drains of buffers woken outside an offer (a subscriber's request). */
    DrainStarter drains() {
        return drains;
    }

    int count() {
        return subscribers.length;
    }
}
