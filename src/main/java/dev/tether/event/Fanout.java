package dev.tether.event;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The subscriber side of one {@link SessionBus}: a Mutiny emitter feeding {@code broadcast().toAllSubscribers()},
 * whose subscribers are the {@link SubscriberBuffer}s, each requesting without bound. Every method but
 * {@link #remove} and {@link #count} runs under the bus's emit lock, so the broadcast's dispatch always happens inside
 * an emit: an event is in every buffer when the emit returns, and a buffer registered after an emit never gets it.
 * Offering never blocks and never runs subscriber code; the drains an offer wakes start on the executor, together,
 * once the event is in every buffer.
 */
final class Fanout {

    private final BusMetrics metrics;
    private final DrainStarter drains;
    private final Set<SubscriberBuffer> subscribers = ConcurrentHashMap.newKeySet();
    private final Multi<BusEvent> broadcast;
    /** Feeds the broadcast; set when the first subscriber connects it. */
    private MultiEmitter<? super BusEvent> source;
    /** Drains of the subscribers the current offer woke. */
    private final List<Runnable> woken = new ArrayList<>();

    Fanout(Executor executor, BusMetrics metrics) {
        this.metrics = metrics;
        this.drains = new DrainStarter(executor);
        this.broadcast = Multi.createFrom().<BusEvent>emitter(emitter -> source = emitter)
                .broadcast().toAllSubscribers();
    }

    /** Adds a buffer to the broadcast. */
    void join(SubscriberBuffer subscriber) {
        subscribers.add(subscriber);
        metrics.subscriberAdded();
        broadcast.subscribe().withSubscriber(subscriber);
    }

    /** Forgets a buffer (any thread); whether it was still registered. It leaves the broadcast separately. */
    boolean remove(SubscriberBuffer subscriber) {
        if (!subscribers.remove(subscriber)) {
            return false;
        }
        metrics.subscriberRemoved();
        return true;
    }

    /** Offers events, in order, to every buffer, then starts the drains they woke. */
    void offer(List<BusEvent> events) {
        if (source != null) {
            for (BusEvent e : events) {
                source.emit(e);
            }
        }
        if (!woken.isEmpty()) {
            drains.start(List.copyOf(woken));
            woken.clear();
        }
    }

    /** During an offer: {@code drain} is to run on the executor once the event is in every buffer. */
    void woke(Runnable drain) {
        woken.add(drain);
    }

    /** Ends every subscription after its buffered events. */
    void complete() {
        for (SubscriberBuffer subscriber : subscribers) {
            remove(subscriber);
        }
        if (source != null) {
            source.complete();
        }
    }

    /** Starts drains of buffers woken outside an offer (a subscriber's request). */
    DrainStarter drains() {
        return drains;
    }

    int count() {
        return subscribers.size();
    }
}
