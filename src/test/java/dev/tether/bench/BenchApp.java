package dev.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.AppClient;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.PackagedApp;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plumbing every end-to-end harness shares: the packaged application ({@link PackagedApp}, a child process on a
 * free 127.0.0.1 port) with both providers pointed at an <em>instant</em> scripted {@link FakeLlmServer} in this JVM,
 * and the HTTP calls the harnesses make. The model answers a prompt "Do N rounds" with a {@code list} tool call while
 * the request carries fewer than N tool results, then with "Done.", so a prompt's number of tool round trips is set by
 * its text. Scratch data lives under {@code target/<name>} and is deleted on {@link #close()}.
 */
public final class BenchApp implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    private final Path root;
    private final Path workspace;
    private final FakeLlmServer llm;
    private final PackagedApp app;
    private final AppClient client;
    private final long launchedNanos;
    private volatile LongConsumer onModelRequest = t -> { };

    private BenchApp(Path root, Path workspace, FakeLlmServer llm, PackagedApp app, long launchedNanos) {
        this.root = root;
        this.workspace = workspace;
        this.llm = llm;
        this.app = app;
        this.client = new AppClient(app);
        this.launchedNanos = launchedNanos;
    }

    /**
     * An empty scratch directory {@code target/<name>} with a workspace ({@code ws}: two files and a directory, what
     * the {@code list} tool lists). The data dir is {@code data} under it; a harness may fill it before {@link #start}.
     */
    public static Path scratch(String name) throws IOException {
        Path root = Path.of("target", name).toAbsolutePath();
        deleteTree(root);
        Path ws = Files.createDirectories(root.resolve("ws"));
        Files.writeString(ws.resolve("a.txt"), "hello\n");
        Files.writeString(ws.resolve("b.txt"), "world\n");
        Files.createDirectories(ws.resolve("src"));
        return root;
    }

    /**
     * Starts the app on {@code root} (from {@link #scratch}) and returns once it is live. The system property
     * {@code bench.app.options} adds JVM options to the app's command line (split on spaces: a JFR recording, GC flags).
     */
    public static BenchApp start(Path root, String... extraProps) {
        List<String> options = new ArrayList<>(List.of(extraProps));
        for (String option : System.getProperty("bench.app.options", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        FakeLlmServer llm = FakeLlmServer.start();
        AtomicReference<BenchApp> self = new AtomicReference<>();
        llm.responder(r -> self.get().reply(r));
        long launched = System.nanoTime();
        try {
            PackagedApp app = PackagedApp.start(root.resolve("data"), root.resolve("ws"), llm, root.resolve("app.log"),
                    options.toArray(String[]::new));
            self.set(new BenchApp(root, root.resolve("ws"), llm, app, launched));
            return self.get();
        } catch (RuntimeException | Error e) {
            llm.close();
            throw e;
        }
    }

    /** Called with {@link System#nanoTime()} on the arrival of every model request. */
    public void onModelRequest(LongConsumer hook) {
        this.onModelRequest = hook;
    }

    private Reply reply(RecordedRequest r) {
        onModelRequest.accept(System.nanoTime());
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

    /** Creates a titled session (so no title call) on the workspace; returns its id. */
    public String createSession() throws IOException, InterruptedException {
        return client.createSession(workspace, "bench");
    }

    /** One prompt with {@code rounds} tool round trips, answered as JSON; fails unless the turn completed. */
    public JsonNode prompt(String id, int rounds) throws IOException, InterruptedException {
        JsonNode result = client.promptResult(id, AppClient.promptBody("Do " + rounds + " rounds", null), Map.of());
        if (!result.path("terminal_reason").asText().equals("completed")) {
            throw new IllegalStateException("turn did not complete: " + result);
        }
        return result;
    }

    /** {@code GET path}; fails unless 200. */
    public String get(String path) throws IOException, InterruptedException {
        return client.getOk(path);
    }

    /** Waits until {@code /q/health/ready} answers 200 (polled every few ms); returns ms since launch. */
    public double awaitReady() throws IOException, InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(app.uri("/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready within 90 s");
            }
            // a child process gives no other signal of readiness: poll it, finely (start-up is what is measured)
            LockSupport.parkNanos(2_000_000);
        }
        return Figures.ms(System.nanoTime() - launchedNanos);
    }

    /** Quarkus' own "started in" from the app's log, in ms. */
    public double startedInMillis() throws IOException {
        Matcher m = STARTED_IN.matcher(Files.readString(root.resolve("app.log"), StandardCharsets.UTF_8));
        return m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
    }

    /** The Prometheus scrape {@code /q/metrics}: value by series ({@code name{labels}}), comments left out. */
    public Map<String, Double> metrics() throws IOException, InterruptedException {
        Map<String, Double> series = new HashMap<>();
        for (String line : get("/q/metrics").split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return series;
    }

    /** The app's CPU time so far (user + system, {@code /proc/<pid>/stat}), in ms. */
    public double cpuMillis() throws IOException {
        return cpuMillis(Path.of("/proc", Long.toString(app.pid()), "stat"));
    }

    /** This harness's own CPU time so far (its JIT and GC included), in ms: what it takes from the app's cores. */
    public static double harnessCpuMillis() throws IOException {
        return cpuMillis(Path.of("/proc/self/stat"));
    }

    /**
     * CPU time so far by thread name with digits dropped ({@code vert.x-eventloop-thread-#}, {@code C2 CompilerThre#},
     * {@code GC Thread##}; Linux keeps 15 characters of a name), in ms: where the CPU goes, JIT and GC included, which
     * a sampling profiler does not show.
     */
    public Map<String, Double> cpuMillisByThread() throws IOException {
        Map<String, Double> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(app.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    byName.merge(name, cpuMillis(task.resolve("stat")), Double::sum);
                } catch (IOException e) {
                    // the thread ended between listing and reading
                }
            }
        }
        return byName;
    }

    private static double cpuMillis(Path stat) throws IOException {
        String line = Files.readString(stat);
        // fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14, 15
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / ClockTicks.PER_SECOND;
    }

    /**
     * {@code jcmd <pid> JFR.<command> name=bench <options>}: a recording of a chosen window of a run (JFR.start,
     * JFR.stop with filename=…).
     */
    public void jfr(String command, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(app.pid()), "JFR." + command, "name=bench"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || out.contains("Could not")) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    /** The app's resident memory ({@code VmRSS}), in MB. */
    public double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(app.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    public long pid() {
        return app.pid();
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        try {
            app.close();
        } finally {
            llm.close();
        }
        // the app's log outlives the scratch data: an error the harness saw is explained there
        Path kept = Path.of("target", "bench-results", root.getFileName() + "-app.log");
        Files.createDirectories(kept.getParent());
        Files.copy(root.resolve("app.log"), kept, StandardCopyOption.REPLACE_EXISTING);
        deleteTree(root);
    }

    static void deleteTree(Path root) throws IOException {
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

    /** {@code getconf CLK_TCK}: the unit of the CPU times in {@code /proc/<pid>/stat}. */
    private static final class ClockTicks {
        static final long PER_SECOND = read();

        private static long read() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
                return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
            } catch (IOException | NumberFormatException e) {
                return 100;
            }
        }
    }
}
