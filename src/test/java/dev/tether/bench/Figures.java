package dev.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The one output format every harness shares, so that {@code bench/run.sh} can gather the figures into the summary
 * table of docs/BENCHMARKS.md: one line per figure,
 * {@code FIGURE | name | samples | median | p99 | unit | target | load average (1 min) when measured}.
 * Percentiles are nearest-rank; with one sample both columns are that sample.
 */
public final class Figures {

    private Figures() {
    }

    /** Median and p99 of {@code samples}. */
    public static void print(String name, List<Double> samples, String unit, String target) {
        System.out.printf(Locale.ROOT, "FIGURE | %s | %d | %.2f | %.2f | %s | %s | %s%n", name, samples.size(),
                pct(samples, 50), pct(samples, 99), unit, target, load());
    }

    /** A single value (a count, a rate, a total). */
    public static void print(String name, double value, String unit, String target) {
        print(name, List.of(value), unit, target);
    }

    /** Nearest-rank percentile. */
    public static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** The 1-minute load average, the figure a shared machine's noise is judged by. */
    public static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    public static double ms(long nanos) {
        return nanos / 1e6;
    }
}
