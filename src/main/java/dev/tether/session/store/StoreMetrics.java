package dev.tether.session.store;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Store meters: timer {@code tether.store.operation} tagged {@code op} ({@code append} stages a record, {@code commit}
 * makes the staged records durable), counter {@code tether.store.fsyncs} (every fsync of a file or directory),
 * gauge {@code tether.sessions}.
 */
final class StoreMetrics {

    static final String CREATE = "create";
    static final String SAVE = "save";
    static final String LOAD = "load";
    static final String APPEND = "append";
    static final String LIST = "list";
    static final String DELETE = "delete";
    static final String CHECKPOINT = "checkpoint";
    static final String COMMIT = "commit";

    private final Map<String, Timer> timers;

    <T> StoreMetrics(MeterRegistry registry, T gaugeTarget, ToDoubleFunction<T> sessions) {
        this.timers = Map.of(CREATE, timer(registry, CREATE), SAVE, timer(registry, SAVE), LOAD, timer(registry, LOAD),
                APPEND, timer(registry, APPEND), LIST, timer(registry, LIST), DELETE, timer(registry, DELETE),
                CHECKPOINT, timer(registry, CHECKPOINT), COMMIT, timer(registry, COMMIT));
        FunctionCounter.builder("tether.store.fsyncs", Fsyncs.class, c -> Fsyncs.count())
                .description("fsyncs of journal, snapshot, index and directory").register(registry);
        Gauge.builder("tether.sessions", gaugeTarget, sessions).description("Stored sessions").register(registry);
    }

    private static Timer timer(MeterRegistry registry, String op) {
        return Timer.builder("tether.store.operation").description("Latency of session store operations")
                .tag("op", op).register(registry);
    }

    <T> T time(String op, Supplier<T> work) {
        return timers.get(op).record(work);
    }

    void time(String op, Runnable work) {
        timers.get(op).record(work);
    }
}
