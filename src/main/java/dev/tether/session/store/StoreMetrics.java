package dev.tether.session.store;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Store meters: timer {@code tether.store.operation} tagged {@code op} ({@code append} stages a record, {@code commit}
 * makes the staged records durable), counter {@code tether.store.fsyncs} (every fsync of a file or directory),
 * gauge {@code tether.sessions}.
 */
final class StoreMetrics {

    /** The timed operations, each the {@code op} tag of its timer. */
    enum Op {
        CREATE, SAVE, LOAD, APPEND, LIST, DELETE, CHECKPOINT, COMMIT;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Op, Timer> timers = new EnumMap<>(Op.class);

    <T> StoreMetrics(MeterRegistry registry, T gaugeTarget, ToDoubleFunction<T> sessions) {
        for (Op op : Op.values()) {
            timers.put(op, Timer.builder("tether.store.operation").description("Latency of session store operations")
                    .tag("op", op.tag()).register(registry));
        }
        FunctionCounter.builder("tether.store.fsyncs", Fsyncs.class, c -> Fsyncs.count())
                .description("fsyncs of journal, snapshot, index and directory").register(registry);
        Gauge.builder("tether.sessions", gaugeTarget, sessions).description("Stored sessions").register(registry);
    }

    <T> T time(Op op, Supplier<T> work) {
        return timers.get(op).record(work);
    }

    void time(Op op, Runnable work) {
        timers.get(op).record(work);
    }
}
