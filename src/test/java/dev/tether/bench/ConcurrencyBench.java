package dev.tether.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many sessions prompting at once on the packaged app against the instant model ({@link BenchApp}), one client thread
 * per session, each prompt with one tool round trip (2 steps). Burst: {@code N} sessions send one prompt each at the
 * same moment (p50/p99 latency, errors). Sustained: {@code M} sessions prompt back to back for {@code S} seconds
 * (steps/s, p99 latency, errors). The clients and the fake model share the machine with the app, so the figures are
 * upper bounds of the app's own latency.
 *
 * <p>Usage: {@code ConcurrencyBench [burst sessions (100)] [sustained sessions (200)] [sustained seconds (30)]}.
 */
public final class ConcurrencyBench {

    private final BenchApp app;

    private ConcurrencyBench(BenchApp app) {
        this.app = app;
    }

    public static void main(String[] args) throws Exception {
        int burst = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int sustained = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        try (BenchApp app = BenchApp.start(BenchApp.scratch("bench-concurrency"))) {
            ConcurrencyBench bench = new ConcurrencyBench(app);
            for (int i = 0; i < 50; i++) { // warm-up
                app.prompt(app.createSession(), 1);
            }
            bench.run("burst", burst, 0);
            bench.run("sustained", sustained, seconds);
        }
    }

    private static long harnessCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code sessions} clients; one prompt each when {@code seconds} is 0, else prompts until the time is up. */
    private void run(String label, int sessions, int seconds) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(app.createSession());
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(sessions);
        long[] window = new long[2];
        for (String id : ids) {
            clients.execute(() -> {
                try {
                    go.await();
                    do {
                        long t0 = System.nanoTime();
                        try {
                            app.prompt(id, 1);
                            latencies.add(Figures.ms(System.nanoTime() - t0));
                        } catch (Exception | AssertionError e) { // AssertionError: an answer other than 200
                            if (errors.getAndIncrement() < 3) {
                                System.out.println(label + " error: " + e);
                            }
                        }
                    } while (System.nanoTime() < window[1]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        double appCpuBefore = app.cpuMillis();
        long harnessCpuBefore = harnessCpuNanos();
        window[0] = System.nanoTime();
        window[1] = window[0] + TimeUnit.SECONDS.toNanos(seconds);
        go.countDown();
        clients.shutdown();
        if (!clients.awaitTermination(seconds + 300L, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + ": clients still running");
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        String what = sessions + " sessions prompting " + (seconds == 0 ? "at once" : "for " + seconds + " s");
        // Where the wall time goes on a shared machine: the CPU the app and this harness (clients and fake model) got.
        Figures.print(what + ": wall time", elapsed * 1000, "ms", "");
        Figures.print(what + ": app CPU", app.cpuMillis() - appCpuBefore, "ms", "");
        Figures.print(what + ": harness CPU (clients, fake model)", (harnessCpuNanos() - harnessCpuBefore) / 1e6, "ms",
                "");
        Figures.print(what + ": one-tool prompt latency", latencies, "ms", seconds == 0 ? "p99 ≤ 400 ms" : "");
        Figures.print(what + ": errors", errors.get(), "count", "0");
        if (seconds > 0) {
            Figures.print(what + ": steps/s (2 per prompt)", 2 * latencies.size() / elapsed, "steps/s", "");
        }
    }
}
