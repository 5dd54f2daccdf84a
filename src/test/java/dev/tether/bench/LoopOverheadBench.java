package dev.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent loop's own overhead per step (docs/BENCHMARKS.md, "Agent loop"). The packaged application runs as a child
 * process (as in production: {@code java -jar target/quarkus-app/quarkus-run.jar}) against an <em>instant</em> fake
 * model on 127.0.0.1 in this JVM ({@link BenchApp}), so what is measured is everything but model thinking time: HTTP
 * in, preconditions, journal appends with fsync, context derivation and token estimation, request building, the
 * provider client and its SSE decoding, tool dispatch (the built-in {@code list} on a 3-entry directory), event
 * emission, HTTP out.
 *
 * <p>A prompt with {@code R} tool round trips runs {@code R + 1} steps, each on a new titled session (no title call).
 * Step {@code k} is timed from the arrival of the model request of step {@code k} to the arrival of the request of step
 * {@code k+1} (the last step: to the JSON result arriving at the client, so it includes persisting the turn and the
 * {@code done} event); tool steps and the final step are also reported apart. The fake's reply (a few hundred bytes written
 * at once) falls inside that interval, so the figures are an upper bound of the loop's overhead. "Setup" is from
 * sending the prompt to the first model request.
 *
 * <p>Usage: {@code LoopOverheadBench [prompts with 1 round trip (200)] [prompts with 10 round trips (40)]}.
 */
public final class LoopOverheadBench {

    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final BenchApp app;

    private LoopOverheadBench(BenchApp app) {
        this.app = app;
        app.onModelRequest(arrivals::add);
    }

    public static void main(String[] args) throws Exception {
        int ones = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int tens = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        try (BenchApp app = BenchApp.start(BenchApp.scratch("bench-loop"))) {
            LoopOverheadBench bench = new LoopOverheadBench(app);
            System.out.printf(Locale.ROOT, "java %s, %d cores, app pid %d%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), app.pid());
            bench.run("warm-up", 1, Math.max(20, ones / 4), false);
            bench.run("warm-up", 10, Math.max(5, tens / 4), false);
            bench.run("1 round trip", 1, ones, true);
            bench.run("10 round trips", 10, tens, true);
        }
    }

    private void run(String label, int rounds, int prompts, boolean report) throws Exception {
        List<Double> steps = new ArrayList<>();
        List<Double> toolSteps = new ArrayList<>();
        List<Double> finalSteps = new ArrayList<>();
        List<Double> setups = new ArrayList<>();
        List<Double> turns = new ArrayList<>();
        long fsyncs = 0;
        for (int i = 0; i < prompts; i++) {
            String id = app.createSession();
            long fsyncsBefore = fsyncs();
            arrivals.clear();
            long t0 = System.nanoTime();
            JsonNode result = app.prompt(id, rounds);
            long end = System.nanoTime();
            fsyncs += fsyncs() - fsyncsBefore;
            if (!result.get("terminal_reason").asText().equals("completed") || arrivals.size() != rounds + 1) {
                throw new IllegalStateException("unexpected turn: " + result + " with " + arrivals.size()
                        + " model requests");
            }
            setups.add(Figures.ms(arrivals.get(0) - t0));
            for (int k = 0; k < arrivals.size(); k++) {
                long next = k + 1 < arrivals.size() ? arrivals.get(k + 1) : end;
                double step = Figures.ms(next - arrivals.get(k));
                steps.add(step);
                (k + 1 < arrivals.size() ? toolSteps : finalSteps).add(step);
            }
            turns.add(Figures.ms(end - t0));
        }
        if (report) {
            Figures.print("loop overhead per step, " + label, steps, "ms", "");
            Figures.print("loop tool step, " + label, toolSteps, "ms", "");
            Figures.print("loop final step, " + label, finalSteps, "ms", "");
            Figures.print("loop setup (prompt sent → first model request), " + label, setups, "ms", "");
            Figures.print("loop fsyncs per prompt (tether_store_fsyncs_total), " + label, (double) fsyncs / prompts,
                    "count", "");
        }
    }

    /** The service's fsync count from {@code /q/metrics} (0 when the metric is absent, as in versions before it). */
    private long fsyncs() throws Exception {
        return (long) app.metrics().entrySet().stream().filter(e -> e.getKey().startsWith("tether_store_fsyncs_total"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
