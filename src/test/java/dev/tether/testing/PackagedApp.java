package dev.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, or the native runner named by the system
 * property {@code native.image.path} when that file exists) running as a child process on a free 127.0.0.1 port, with
 * its data dir, workspace root and provider base URLs given on the command line. {@link #start} returns once
 * {@code /q/health/live} answers 200; {@link #close()} stops the process (SIGTERM, then SIGKILL after 15 s). Output
 * goes to {@code <log>}.
 */
public final class PackagedApp implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the app and waits until it is live.
     *
     * @param dataDir       {@code tether.data-dir}
     * @param workspaceRoot {@code tether.workspace.root}
     * @param llm           both providers point at it, with dummy keys
     * @param log           stdout and stderr of the child (appended)
     * @param extraProps    more {@code -Dkey=value} arguments
     */
    public static PackagedApp start(Path dataDir, Path workspaceRoot, FakeLlmServer llm, Path log,
                                    String... extraProps) {
        int port = freePort();
        List<String> props = new ArrayList<>(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dtether.data-dir=" + dataDir.toAbsolutePath(),
                "-Dtether.workspace.root=" + workspaceRoot.toAbsolutePath(),
                "-Dtether.providers.openai.base-url=" + llm.openAiBaseUrl(),
                "-Dtether.providers.openai.api-key=" + FakeLlmResource.OPENAI_KEY,
                "-Dtether.providers.anthropic.base-url=" + llm.anthropicBaseUrl(),
                "-Dtether.providers.anthropic.api-key=" + FakeLlmResource.ANTHROPIC_KEY));
        props.addAll(List.of(extraProps));
        List<String> command = new ArrayList<>();
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isRegularFile(Path.of(nativeImage))) {
            command.add(Path.of(nativeImage).toAbsolutePath().toString());
            command.addAll(props);
        } else {
            Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx384m");
            command.addAll(props);
            command.add("-jar");
            command.add(jar.toString());
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            PackagedApp app = new PackagedApp(p, port, log);
            try {
                app.awaitLive();
            } catch (RuntimeException | Error e) {
                app.close();
                throw e;
            }
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitLive() {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        HttpRequest health = HttpRequest.newBuilder(uri("/q/health/live")).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited with " + process.exitValue() + " while booting; see "
                        + log);
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the app", e);
            }
            try {
                // polling a child process that gives no other signal of readiness
                process.waitFor(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the app", e);
            }
        }
        throw new IllegalStateException("the app was not live within " + BOOT_TIMEOUT + "; see " + log);
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * A crash: SIGKILL of the app's own process (it is started directly, not through a shell), so nothing of it runs
     * after this: no shutdown hook, no flush. Waits until it is gone; returns its exit code (137 = 128 + SIGKILL).
     */
    public int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the app survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the killed app", e);
        }
        return process.exitValue();
    }

    /** Stops the process: SIGTERM, then SIGKILL if it has not exited within 15 s; waits for the exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
