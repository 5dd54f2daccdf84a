package dev.tether.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of all buses: {@code tether.events.emitted} by type, {@code tether.events.subscribers} (gauge),
 * {@code tether.events.dropped} (ephemeral events a full subscriber buffer did not take) and
 * {@code tether.events.sink.failures}. Tags are bounded: the event type is one of the catalogue's names.
 */
public final class BusMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> emitted = new ConcurrentHashMap<>();
    private final Counter dropped;
    private final Counter sinkFailures;
    private final AtomicInteger subscribers = new AtomicInteger();

    public BusMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.dropped = Counter.builder("tether.events.dropped")
                .description("Ephemeral events not delivered to a slow subscriber").register(registry);
        this.sinkFailures = Counter.builder("tether.events.sink.failures")
                .description("Durable events whose sink write failed (delivered anyway)").register(registry);
        Gauge.builder("tether.events.subscribers", subscribers, AtomicInteger::get)
                .description("Live event subscribers of all sessions").register(registry);
    }

    void emitted(String type) {
        emitted.computeIfAbsent(type, t -> Counter.builder("tether.events.emitted").tag("type", t)
                .description("Events emitted, by type").register(registry)).increment();
    }

    void dropped(int count) {
        dropped.increment(count);
    }

    void sinkFailure() {
        sinkFailures.increment();
    }

    void subscriberAdded() {
        subscribers.incrementAndGet();
    }

    void subscriberRemoved() {
        subscribers.decrementAndGet();
    }

    /** Current number of live subscribers of all buses. */
    public int subscribers() {
        return subscribers.get();
    }
}
