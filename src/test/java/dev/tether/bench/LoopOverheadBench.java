package dev.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.PackagedApp;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The agent loop's own overhead per step (docs/BENCHMARKS.md, "Agent loop"). The packaged application runs as a child
 * process (as in production: {@code java -jar target/quarkus-app/quarkus-run.jar}) against an <em>instant</em> fake
 * model on 127.0.0.1 in this JVM, so what is measured is everything but model thinking time: HTTP in, preconditions,
 * journal appends with fsync, context derivation and token estimation, request building, the provider client and
 * its SSE decoding, tool dispatch (the built-in {@code list} on a 3-entry directory), event emission, HTTP out.
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final PackagedApp app;
    private final Path workspace;

    private LoopOverheadBench(PackagedApp app, Path workspace) {
        this.app = app;
        this.workspace = workspace;
    }

    public static void main(String[] args) throws Exception {
        int ones = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int tens = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path root = Path.of("target", "bench-loop").toAbsolutePath();
        deleteTree(root);
        Path workspace = Files.createDirectories(root.resolve("ws"));
        Files.writeString(workspace.resolve("a.txt"), "hello\n");
        Files.writeString(workspace.resolve("b.txt"), "world\n");
        Files.createDirectories(workspace.resolve("src"));
        try (FakeLlmServer llm = FakeLlmServer.start()) {
            LoopOverheadBench[] bench = new LoopOverheadBench[1];
            llm.responder(r -> bench[0].reply(r));
            try (PackagedApp app = PackagedApp.start(root.resolve("data"), workspace, llm, root.resolve("app.log"))) {
                bench[0] = new LoopOverheadBench(app, workspace);
                System.out.printf(Locale.ROOT, "java %s, %d cores, app pid %d%n", System.getProperty("java.version"),
                        Runtime.getRuntime().availableProcessors(), app.pid());
                bench[0].run("warm-up", 1, Math.max(20, ones / 4), false);
                bench[0].run("warm-up", 10, Math.max(5, tens / 4), false);
                bench[0].run("1 round trip", 1, ones, true);
                bench[0].run("10 round trips", 10, tens, true);
            }
        } finally {
            deleteTree(root);
        }
    }

    /** One tool call until the request carries {@code rounds} tool results, then the answer. */
    private Reply reply(RecordedRequest r) {
        arrivals.add(System.nanoTime());
        JsonNode messages = r.messages();
        int rounds = Integer.parseInt(messages.get(1).get("content").asText().replaceAll("\\D", ""));
        int results = 0;
        for (JsonNode m : messages) {
            if (m.get("role").asText().equals("tool")) {
                results++;
            }
        }
        return results < rounds ? Reply.toolCall("call_" + results, "list", "{}").usage(50, 5)
                : Reply.text("Done.").usage(50, 2);
    }

    private void run(String label, int rounds, int prompts, boolean report) throws Exception {
        List<Double> steps = new ArrayList<>();
        List<Double> toolSteps = new ArrayList<>();
        List<Double> finalSteps = new ArrayList<>();
        List<Double> setups = new ArrayList<>();
        List<Double> turns = new ArrayList<>();
        long fsyncs = 0;
        for (int i = 0; i < prompts; i++) {
            String id = createSession();
            long fsyncsBefore = fsyncs();
            arrivals.clear();
            long t0 = System.nanoTime();
            JsonNode result = prompt(id, "Do " + rounds + " rounds");
            long end = System.nanoTime();
            fsyncs += fsyncs() - fsyncsBefore;
            if (!result.get("terminal_reason").asText().equals("completed") || arrivals.size() != rounds + 1) {
                throw new IllegalStateException("unexpected turn: " + result + " with " + arrivals.size()
                        + " model requests");
            }
            setups.add(ms(arrivals.get(0) - t0));
            for (int k = 0; k < arrivals.size(); k++) {
                long next = k + 1 < arrivals.size() ? arrivals.get(k + 1) : end;
                double step = ms(next - arrivals.get(k));
                steps.add(step);
                (k + 1 < arrivals.size() ? toolSteps : finalSteps).add(step);
            }
            turns.add(ms(end - t0));
        }
        if (report) {
            System.out.printf(Locale.ROOT, "%-15s prompts %4d  steps %5d  per step median %6.2f ms  p99 %6.2f ms"
                            + "  | setup median %6.2f ms  p99 %6.2f ms | turn median %7.2f ms  p99 %7.2f ms%n",
                    label, prompts, steps.size(), pct(steps, 50), pct(steps, 99), pct(setups, 50), pct(setups, 99),
                    pct(turns, 50), pct(turns, 99));
            System.out.printf(Locale.ROOT, "%-15s tool steps median %6.2f ms  p99 %6.2f ms | final step median %6.2f ms"
                    + "  p99 %6.2f ms | fsyncs per prompt %5.2f (tether_store_fsyncs_total)%n", "",
                    pct(toolSteps, 50), pct(toolSteps, 99), pct(finalSteps, 50), pct(finalSteps, 99),
                    (double) fsyncs / prompts);
        }
    }

    /** The service's fsync count from {@code /q/metrics} (0 when the metric is absent, as in versions before it). */
    private long fsyncs() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(app.uri("/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith("tether_store_fsyncs_total"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private String createSession() throws Exception {
        String body = JSON.createObjectNode().put("directory", workspace.toString()).put("title", "bench").toString();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(app.uri("/api/sessions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    private JsonNode prompt(String id, String message) throws Exception {
        String body = JSON.createObjectNode().put("message", message).toString();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(app.uri("/api/sessions/" + id + "/prompt"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Nearest-rank percentile. */
    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
