package dev.tether.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.OperatingSystemMXBean;
import dev.tether.testing.ConfigDefaults;
import dev.tether.bench.Figures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Fan-out benchmark (docs/BENCHMARKS.md, "Events"): one session, 200 subscribers, 1,000 events each (950
 * {@code text_chunk} + 50 durable), emitted by one thread as fast as it can, delivered by a pool of as many threads as
 * cores. Prints emit throughput, delivery time, completeness and the CPU time spent (which depends less on the load
 * of a shared machine); asserts only completeness of durable events (never a timing). Not part of the default suite
 * (its name does not end in Test):
 * {@code ./mvnw -B -o -q test -Dtest=SessionBusFanOutBench -Dsurefire.failIfNoSpecifiedTests=false}; three rounds,
 * or as many as {@code -DargLine=-Dbench.rounds=N} says (later rounds show the code compiled by the JIT).
 * {@code -Dbench.emitIntervalMicros=M} paces the emitter (one event every M µs at most) to compare how many ephemeral
 * events subscribers lose at one emit rate: drops depend on how far emission outruns delivery.
 */
class SessionBusFanOutBench {

    private static final BusSettings DEFAULTS = BusSettings.from(ConfigDefaults.tether().events());
    private static final int SUBSCRIBERS = 200;
    private static final int EVENTS = 1_000;
    private static final int DURABLE_EVERY = 20;

    @Test
    void twoHundredSubscribersOfOneSession() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int round = 1; round <= Integer.getInteger("bench.rounds", 3); round++) {
            run(round, cores);
        }
    }

    private void run(int round, int cores) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        BusMetrics metrics = new BusMetrics(new SimpleMeterRegistry());
        SessionBus bus = new SessionBus("bench", DEFAULTS, ReplaySource.NONE, pool, metrics);
        bus.attachSink(new NoopSink());
        int durableCount = EVENTS / DURABLE_EVERY;
        CountDownLatch allDurable = new CountDownLatch(SUBSCRIBERS);
        List<AtomicLong> received = new ArrayList<>();
        List<AtomicLong> durableReceived = new ArrayList<>();
        for (int s = 0; s < SUBSCRIBERS; s++) {
            AtomicLong all = new AtomicLong();
            AtomicLong durable = new AtomicLong();
            received.add(all);
            durableReceived.add(durable);
            bus.subscribe().subscribe().with(e -> {
                all.incrementAndGet();
                if (e.isDurable() && durable.incrementAndGet() == durableCount) {
                    allDurable.countDown();
                }
            });
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long processCpuStart = os.getProcessCpuTime();
        long emitCpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long intervalNanos = Long.getLong("bench.emitIntervalMicros", 0) * 1000;
        for (int i = 1; i <= EVENTS; i++) {
            if (intervalNanos > 0) {
                LockSupport.parkNanos(start + i * intervalNanos - System.nanoTime());
            }
            bus.emit(i % DURABLE_EVERY == 0 ? new SessionEvent.TextComplete("t" + i)
                    : new SessionEvent.TextChunk("chunk " + i));
        }
        long emitted = System.nanoTime();
        long emitCpu = threads.getCurrentThreadCpuTime() - emitCpuStart;
        assertTrue(allDurable.await(60, TimeUnit.SECONDS), "every subscriber got every durable event");
        long delivered = System.nanoTime();
        long processCpu = os.getProcessCpuTime() - processCpuStart;
        long total = received.stream().mapToLong(AtomicLong::get).sum();
        for (AtomicLong d : durableReceived) {
            assertEquals(durableCount, d.get());
        }
        double emitMs = (emitted - start) / 1e6;
        double deliverMs = (delivered - start) / 1e6;
        System.out.printf("events bench round %d (%d cores): %d subscribers x %d events: emit %.1f ms (%.0f events/s),"
                        + " all durable delivered after %.1f ms (%.0f deliveries/s), delivered %d of %d (%.2f%%),"
                        + " ephemeral dropped %d%n", round, cores, SUBSCRIBERS, EVENTS, emitMs,
                EVENTS / (emitMs / 1000), deliverMs, total / (deliverMs / 1000), total,
                (long) SUBSCRIBERS * EVENTS, 100.0 * total / ((long) SUBSCRIBERS * EVENTS),
                (long) SUBSCRIBERS * EVENTS - total);
        // On a shared machine the wall times above depend on the load; CPU times much less so.
        System.out.printf("events bench round %d: CPU of the emitting thread %.1f ms (%.0f events per CPU-second),"
                        + " CPU of the process until all durable delivered %.1f ms (load average %.2f)%n", round,
                emitCpu / 1e6, EVENTS / (emitCpu / 1e9), processCpu / 1e6, os.getSystemLoadAverage());
        if (round == Integer.getInteger("bench.rounds", 3)) {
            String what = "events fan-out, " + SUBSCRIBERS + " subscribers x " + EVENTS + " events (last round)";
            Figures.print(what + ": emit throughput", EVENTS / (emitMs / 1000), "events/s", "");
            Figures.print(what + ": all durable delivered after", deliverMs, "ms", "");
        }
        bus.close();
        pool.shutdown();
    }
}
