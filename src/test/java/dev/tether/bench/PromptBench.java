package dev.tether.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A prompt end to end over HTTP, as a client sees it, on the packaged app against the instant model ({@link BenchApp}):
 * creating a session; a prompt with one tool round trip (latency, fsyncs and app CPU time per prompt); a prompt with ten
 * round trips. Every prompt runs on its own session, created beforehand so that only prompts are counted.
 *
 * <p>fsyncs: the store's fsync counter from {@code /q/metrics} (any meter named like {@code tether_store_fsync*}) when
 * the app has one, else the number of journal appends ({@code tether_store_operation_seconds_count{op="append"}}, one
 * fsync each) plus checkpoints, which the "fsync source" line says. CPU: {@code utime + stime} of the app process over
 * the whole run of one-tool prompts, divided by their number (clock-tick resolution, so use ≥ 1,000 prompts).
 *
 * <p>Usage: {@code PromptBench [one-tool prompts (1000)] [ten-round-trip prompts (40)]}.
 */
public final class PromptBench {

    private PromptBench() {
    }

    public static void main(String[] args) throws Exception {
        int ones = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int tens = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        try (BenchApp app = BenchApp.start(BenchApp.scratch("bench-prompt"))) {
            for (int i = 0; i < 50; i++) { // warm-up: JIT, pools, connections
                app.prompt(app.createSession(), 1);
            }
            List<Double> creates = new ArrayList<>();
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < ones + tens; i++) {
                long t0 = System.nanoTime();
                sessions.add(app.createSession());
                creates.add(Figures.ms(System.nanoTime() - t0));
            }
            Figures.print("create session (POST /api/sessions)", creates, "ms", "");

            Map<String, Double> before = fsyncMeters(app);
            double cpuBefore = app.cpuMillis();
            List<Double> oneTool = new ArrayList<>();
            for (String id : sessions.subList(0, ones)) {
                long t0 = System.nanoTime();
                app.prompt(id, 1);
                oneTool.add(Figures.ms(System.nanoTime() - t0));
            }
            double cpu = app.cpuMillis() - cpuBefore;
            Map<String, Double> after = fsyncMeters(app);
            Figures.print("one-tool prompt end to end", oneTool, "ms", "≤ 10 ms");
            Figures.print("app CPU per one-tool prompt (" + ones + " prompts)", cpu / ones, "ms", "≤ 3 ms");
            double fsyncs = 0;
            for (Map.Entry<String, Double> e : after.entrySet()) {
                fsyncs += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            }
            System.out.println("fsync source: " + after.keySet());
            Figures.print("fsyncs per one-tool prompt", fsyncs / ones, "count", "");

            List<Double> tenTrips = new ArrayList<>();
            for (String id : sessions.subList(ones, ones + tens)) {
                long t0 = System.nanoTime();
                app.prompt(id, 10);
                tenTrips.add(Figures.ms(System.nanoTime() - t0));
            }
            Figures.print("ten-round-trip prompt end to end", tenTrips, "ms", "≤ 40 ms");
        }
    }

    /**
     * The fsync counters when the app has them; else the journal appends and checkpoints, each of which fsyncs the
     * journal at least once.
     */
    private static Map<String, Double> fsyncMeters(BenchApp app) throws Exception {
        Map<String, Double> all = app.metrics();
        Map<String, Double> fsyncs = new TreeMap<>();
        all.forEach((series, value) -> {
            if (series.contains("fsync") && series.matches("^[a-z_]+_total(\\{.*)?$")) {
                fsyncs.put(series, value);
            }
        });
        if (fsyncs.isEmpty()) {
            all.forEach((series, value) -> {
                if (series.startsWith("tether_store_operation_seconds_count")
                        && (series.contains("op=\"append\"") || series.contains("op=\"checkpoint\""))) {
                    fsyncs.put(series, value);
                }
            });
        }
        return fsyncs;
    }
}
