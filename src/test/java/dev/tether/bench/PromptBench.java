package dev.tether.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * <p>Also printed: the app's CPU per prompt by thread ({@code /proc/<pid>/task}), JIT and GC threads included. With
 * {@code -Dbench.jfr=<file>} the app records JFR ({@code jcmd JFR.start}, options from {@code bench.jfr.settings},
 * comma-separated, default {@code settings=profile}) during the one-tool prompts only, written to that file.
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
            // warm-up (JIT, pools, connections): the JIT still compiles for hundreds of prompts, see the thread table
            for (int i = 0; i < Math.max(50, ones / 4); i++) {
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
            String jfr = System.getProperty("bench.jfr", "");
            if (!jfr.isEmpty()) {
                app.jfr("start", System.getProperty("bench.jfr.settings", "settings=profile").split(","));
            }
            Map<String, Double> threadsBefore = app.cpuMillisByThread();
            double cpuBefore = app.cpuMillis();
            List<Double> oneTool = new ArrayList<>();
            for (String id : sessions.subList(0, ones)) {
                long t0 = System.nanoTime();
                app.prompt(id, 1);
                oneTool.add(Figures.ms(System.nanoTime() - t0));
            }
            double cpu = app.cpuMillis() - cpuBefore;
            Map<String, Double> threadsAfter = app.cpuMillisByThread();
            if (!jfr.isEmpty()) {
                app.jfr("stop", "filename=" + Path.of(jfr).toAbsolutePath());
            }
            double jit = printThreads(threadsBefore, threadsAfter, ones);
            Map<String, Double> after = fsyncMeters(app);
            Figures.print("one-tool prompt end to end", oneTool, "ms", "≤ 10 ms");
            Figures.print("app CPU per one-tool prompt (" + ones + " prompts)", cpu / ones, "ms", "≤ 3 ms");
            Figures.print("app CPU per one-tool prompt without JIT compiler threads", cpu / ones - jit, "ms", "");
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
            if (tens > 0) {
                Figures.print("ten-round-trip prompt end to end", tenTrips, "ms", "≤ 40 ms");
            }
        }
    }

    /**
     * Prints the app's CPU per prompt by thread group, most first (threads started during the run count from zero);
     * returns the JIT compiler threads' share.
     */
    private static double printThreads(Map<String, Double> before, Map<String, Double> after, int prompts) {
        System.out.println("app CPU per one-tool prompt by thread (ms):");
        double jit = 0;
        List<Map.Entry<String, Double>> perPrompt = after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / prompts))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
        for (Map.Entry<String, Double> e : perPrompt) {
            System.out.printf(Locale.ROOT, "  %8.3f  %s%n", e.getValue(), e.getKey());
            jit += e.getKey().contains("CompilerThre") ? e.getValue() : 0;
        }
        return jit;
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
