package dev.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged app with many sessions on disk ({@link BenchApp}): start → ready ({@code /q/health/ready} answers 200,
 * from launching the child process), the app's CPU time until then and Quarkus' "started in", the first page of
 * {@code GET /api/sessions} once warm (wall time and the app's CPU per request), and resident memory and CPU for
 * listing every session page by page. The sessions are written beforehand by {@link SessionsOnDisk}. Start → ready
 * here includes the cores this harness takes meanwhile (printed); {@code bench/start.sh} measures start-up on the
 * same data without a JVM beside the app.
 *
 * <p>Usage: {@code ListingBench [sessions (10000)]}.
 */
public final class ListingBench {

    private ListingBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path root = BenchApp.scratch("bench-listing");
        SessionsOnDisk.write(count, root.resolve("data"));
        String label = String.format("%,d sessions on disk", count);
        double harnessBefore = BenchApp.harnessCpuMillis();
        try (BenchApp app = BenchApp.start(root)) {
            double ready = app.awaitReady();
            double cpuReady = app.cpuMillis(); // the figure to compare on a loaded machine: wall time waits for a core
            // the cores this JVM (its JIT and GC still busy with the writes, its HTTP client polling) took meanwhile
            Figures.print(label + ": harness CPU while the app started", BenchApp.harnessCpuMillis() - harnessBefore,
                    "ms", "");
            Figures.print(label + ": start → ready", ready, "ms", "");
            Figures.print(label + ": CPU until ready", cpuReady, "ms", "");
            Figures.print(label + ": \"started in\"", app.startedInMillis(), "ms", "");
            Figures.print(label + ": RSS at ready", app.rssMb(), "MB", "");
            long c0 = System.nanoTime();
            app.get("/api/sessions?limit=100");
            Figures.print(label + ": first page (100), first request", Figures.ms(System.nanoTime() - c0), "ms", "");
            List<Double> warm = new ArrayList<>();
            double cpuBeforeWarm = app.cpuMillis();
            for (int i = 0; i < 100; i++) {
                long w0 = System.nanoTime();
                app.get("/api/sessions?limit=100");
                warm.add(Figures.ms(System.nanoTime() - w0));
            }
            Figures.print(label + ": first page (100), warm", warm, "ms", "");
            Figures.print(label + ": app CPU per warm first page", (app.cpuMillis() - cpuBeforeWarm) / warm.size(), "ms",
                    "");
            long a0 = System.nanoTime();
            double cpuBeforeAll = app.cpuMillis();
            int listed = 0;
            String cursor = null;
            do {
                String query = cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
                JsonNode page = BenchApp.JSON.readTree(app.get("/api/sessions?limit=1000" + query));
                listed += page.get("sessions").size();
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            } while (cursor != null);
            if (listed != count) {
                throw new IllegalStateException("listed " + listed + " of " + count);
            }
            Figures.print(label + ": list all (pages of 1000)", Figures.ms(System.nanoTime() - a0), "ms", "");
            Figures.print(label + ": app CPU to list all", app.cpuMillis() - cpuBeforeAll, "ms", "");
            Figures.print(label + ": RSS after listing all", app.rssMb(), "MB", "");
        }
    }
}
