package dev.tether.tool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.config.ManagedPools;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * {@code bash}: runs {@code bash -c <command>} in the workspace root (spec §4.6), stdin closed, without the service's
 * secrets in the environment; refused when the session directory's real path lies outside
 * {@code tether.workspace.root} (§4.5), else started in that real path. stdout and stderr are merged in arrival order,
 * capped, and streamed live in chunks of at most 4 KiB. A timeout or a cancellation kills the whole process tree.
 * Only advertised when {@code tether.tools.bash.enabled} is true (see {@link ToolRegistry}). The two pipe readers of a
 * process run on a view of the Quarkus worker pool ({@link ManagedPools}); the tool calls running {@code bash} bound
 * their number, and a reader is never queued behind another (a full pipe would stall the command).
 */
@ApplicationScoped
public class BashTool extends BuiltinTool {

    static final int DEFAULT_TIMEOUT_SECS = 120;
    static final int MAX_TIMEOUT_SECS = 600;
    /** Largest live chunk, in bytes. */
    static final int CHUNK_BYTES = 4096;
    /** How often the wait loop looks at the cancellation signal. */
    private static final long POLL_MILLIS = 50;
    /** How long the output pipes may stay open after the shell exited (background jobs holding them). */
    private static final long DRAIN_MILLIS = 2000;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .string("command", true, "Shell command, run as bash -c <command> in the workspace root")
            .integer("timeout", DEFAULT_TIMEOUT_SECS, 1, MAX_TIMEOUT_SECS, "Timeout in seconds (1-600, default 120)")
            .build();

    private final ManagedExecutor pipeReaders = ManagedPools.bounded(ManagedPools.CALLER_BOUNDED);

    public BashTool() {
        super("bash", "Run a shell command (bash -c) in the workspace root. stdout and stderr are merged; output over "
                        + "100,000 bytes keeps the first and last 50,000. Non-zero exit codes fail the call.",
                SCHEMA, false);
    }

    @Override
    protected ToolResult run(ToolArguments args, ToolContext context) throws ToolFailure, IOException {
        String command = args.string("command");
        long timeoutSecs = args.integer("timeout", DEFAULT_TIMEOUT_SECS);
        Path root = WorkspacePaths.root(context);

        ProcessBuilder builder = new ProcessBuilder(ProcessTrees.inOwnGroup(List.of("bash", "-c", command)))
                .directory(root.toFile());
        scrubEnvironment(builder.environment());
        Process process = builder.start();
        process.getOutputStream().close(); // stdin closed

        BashOutput output = new BashOutput();
        ToolContext.OutputSink sink = context.output() == null ? ToolContext.OutputSink.NONE : context.output();
        Future<?> stdout = pipeReaders.submit(() -> copy(process.getInputStream(), "stdout", output, sink));
        Future<?> stderr = pipeReaders.submit(() -> copy(process.getErrorStream(), "stderr", output, sink));

        boolean timedOut = false;
        boolean cancelled = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSecs);
        try {
            while (true) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    timedOut = true;
                    break;
                }
                if (process.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, POLL_MILLIS),
                        TimeUnit.MILLISECONDS)) {
                    break;
                }
                if (context.isCancelled()) {
                    cancelled = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            cancelled = true;
            Thread.currentThread().interrupt();
        }
        if (timedOut || cancelled) {
            ProcessTrees.killTree(process);
        }
        drain(process, stdout, stderr);

        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        String text = output.text();
        if (timedOut) {
            metadata.putNull("exit_code");
            metadata.put("timed_out", true);
            return ToolResult.failure(withFinalLine(text, "[timed out after " + timeoutSecs + " s]"), metadata);
        }
        if (cancelled) {
            metadata.putNull("exit_code");
            metadata.put("timed_out", false);
            return ToolResult.failure(withFinalLine(text, "[cancelled]"), metadata);
        }
        int exit = process.exitValue();
        metadata.put("exit_code", exit);
        metadata.put("timed_out", false);
        if (exit != 0) {
            return ToolResult.failure(withFinalLine(text, "[exit code: " + exit + "]"), metadata);
        }
        return ToolResult.success(text, metadata);
    }

    /** Drops every variable that may hold a secret of the service: names with KEY, TOKEN, SECRET, PASSWORD, TETHER_*. */
    static void scrubEnvironment(Map<String, String> env) {
        env.keySet().removeIf(BashTool::isSecretName);
    }

    static boolean isSecretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.contains("KEY") || upper.contains("TOKEN") || upper.contains("SECRET")
                || upper.contains("PASSWORD") || upper.startsWith("TETHER_");
    }

    private static String withFinalLine(String text, String line) {
        if (text.isEmpty()) {
            return line;
        }
        return text.endsWith("\n") ? text + line : text + "\n" + line;
    }

    /**
     * Waits for both pipes to reach end-of-file. The JDK closes a child's pipes once it exited, so a background job of
     * the command (which may outlive the call, as with {@code bash -c}) normally cannot hold the call open; should a
     * reader still block after a grace period, the process group is killed; a reader that still blocks is given up
     * (it ends when the last holder of the pipe does).
     */
    private static void drain(Process process, Future<?> stdout, Future<?> stderr) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!awaitBoth(stdout, stderr, DRAIN_MILLIS)) {
                ProcessTrees.killGroup(process.pid());
                awaitBoth(stdout, stderr, DRAIN_MILLIS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether both readers ended within {@code millis}. */
    private static boolean awaitBoth(Future<?> a, Future<?> b, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            a.get(millis, TimeUnit.MILLISECONDS);
            b.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // copy() catches what a read throws; nothing else can end a reader
        }
    }

    /** Copies one pipe into the merged output and the live sink, in chunks of at most 4 KiB, until end-of-file. */
    private static void copy(InputStream in, String stream, BashOutput output, ToolContext.OutputSink sink) {
        byte[] buf = new byte[CHUNK_BYTES];
        int pending = 0; // bytes of an incomplete UTF-8 character kept at the start of buf
        try (in) {
            int n;
            while ((n = in.read(buf, pending, CHUNK_BYTES - pending)) >= 0) {
                output.append(buf, pending, n);
                int available = pending + n;
                int complete = BashOutput.Utf8.completePrefix(buf, available);
                if (complete == 0 && available == CHUNK_BYTES) {
                    complete = available; // not UTF-8 at all: pass it on replaced rather than stall
                }
                if (complete > 0) {
                    emit(sink, stream, BashOutput.decode(buf, 0, complete));
                }
                pending = available - complete;
                System.arraycopy(buf, complete, buf, 0, pending);
            }
            if (pending > 0) {
                emit(sink, stream, BashOutput.decode(buf, 0, pending));
            }
        } catch (IOException e) {
            // the pipe was closed under us (process killed): the output collected so far stands
        }
    }

    @PreDestroy
    void close() {
        pipeReaders.shutdownNow();
    }

    private static void emit(ToolContext.OutputSink sink, String stream, String text) {
        try {
            sink.chunk(stream, text);
        } catch (RuntimeException e) {
            // a failing observer must not stop the command's output from being collected
        }
    }
}
