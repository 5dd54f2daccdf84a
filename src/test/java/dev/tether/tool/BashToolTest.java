package dev.tether.tool;

import static dev.tether.tool.ToolTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BashToolTest {

    @TempDir
    Path ws;

    private final BashTool bash = new BashTool();

    @Test
    void runsInTheWorkspaceRootAndSucceeds() throws Exception {
        ToolResult r = run(bash, ws, "{\"command\":\"echo hi; pwd\"}");
        assertTrue(r.success(), r.output());
        assertEquals("hi\n" + ws.toRealPath() + "\n", r.output());
        assertEquals(0, r.metadata().get("exit_code").asInt());
        assertFalse(r.metadata().get("timed_out").asBoolean());
    }

    @Test
    void nonZeroExitFailsWithFinalExitCodeLine() throws Exception {
        ToolResult r = run(bash, ws, "{\"command\":\"echo oops >&2; exit 3\"}");
        assertFalse(r.success());
        assertEquals("oops\n[exit code: 3]", r.output());
        assertEquals(3, r.metadata().get("exit_code").asInt());
        ToolResult silent = run(bash, ws, "{\"command\":\"false\"}");
        assertEquals("[exit code: 1]", silent.output());
    }

    @Test
    void stdinIsClosed() throws Exception {
        ToolResult r = run(bash, ws, "{\"command\":\"cat; echo done\",\"timeout\":10}");
        assertTrue(r.success());
        assertEquals("done\n", r.output());
    }

    @Test
    void stdoutAndStderrAreMergedAndStreamedWithTheirLabels() throws Exception {
        List<String[]> chunks = Collections.synchronizedList(new ArrayList<>());
        ToolContext ctx = ToolTestSupport.context(ws, (stream, text) -> chunks.add(new String[]{stream, text}));
        ToolResult r = run(bash, ctx, "{\"command\":\"echo out; echo err >&2\"}");
        assertTrue(r.output().contains("out\n") && r.output().contains("err\n"), r.output());
        assertTrue(chunks.stream().anyMatch(c -> c[0].equals("stdout") && c[1].contains("out")));
        assertTrue(chunks.stream().anyMatch(c -> c[0].equals("stderr") && c[1].contains("err")));
    }

    @Test
    void liveChunksAreAtMost4KiBAndNeverSplitACharacter() throws Exception {
        List<String> chunks = Collections.synchronizedList(new ArrayList<>());
        ToolContext ctx = ToolTestSupport.context(ws, (stream, text) -> chunks.add(text));
        ToolResult r = run(bash, ctx, "{\"command\":\"for i in $(seq 1 3000); do printf 'a€'; done\"}");
        assertTrue(r.success());
        String expected = "a€".repeat(3000); // 12,000 bytes
        assertEquals(expected, r.output());
        assertEquals(expected, String.join("", chunks));
        assertTrue(chunks.size() >= 3);
        for (String c : chunks) {
            assertTrue(c.getBytes(StandardCharsets.UTF_8).length <= 4096);
            assertFalse(c.contains("\uFFFD"), "a character was split between chunks");
        }
    }

    @Test
    void outputOverTheCapKeepsHeadAndTailWithAMarker() throws Exception {
        ToolResult r = run(bash, ws,
                "{\"command\":\"head -c 70000 /dev/zero | tr '\\\\0' a; head -c 40000 /dev/zero | tr '\\\\0' b\"}");
        assertTrue(r.success(), r.output());
        String marker = "\n[... 10000 bytes of output omitted; the first 50000 and last 50000 bytes are kept ...]\n";
        String expected = "a".repeat(50_000) + marker + "a".repeat(10_000) + "b".repeat(40_000);
        // compared piecewise: a failure message of 100 kB would be unreadable
        assertEquals(expected.length(), r.output().length(), () -> summary(r.output()));
        assertTrue(expected.equals(r.output()), () -> summary(r.output()));
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        ToolResult r = run(bash, ws, "{\"command\":\"echo $$; sleep 100 & echo $!; sleep 100\",\"timeout\":1}");
        assertFalse(r.success());
        assertTrue(r.output().endsWith("\n[timed out after 1 s]"), r.output());
        assertTrue(r.metadata().get("timed_out").asBoolean());
        assertTrue(r.metadata().get("exit_code").isNull());
        List<Long> pids = pids(r.output());
        assertEquals(2, pids.size(), r.output());
        for (long pid : pids) {
            ProcessAssertions.assertDead(pid);
        }
    }

    @Test
    void cancellationKillsTheProcessTree() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        StringBuffer seen = new StringBuffer();
        ToolContext ctx = new ToolContext("s", "c", ws, new WorkspaceRoot(ws), false, false, cancelled::get,
                (stream, text) -> {
            seen.append(text);
            if (seen.toString().split("\n").length >= 2) {
                started.countDown();
            }
        });
        CompletableFuture<ToolResult> result = CompletableFuture.supplyAsync(() -> {
            try {
                return run(bash, ctx, "{\"command\":\"sleep 30 & echo $!; echo $$; wait\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        cancelled.set(true);
        ToolResult r = result.get(10, TimeUnit.SECONDS);
        assertFalse(r.success());
        assertTrue(r.output().endsWith("[cancelled]"), r.output());
        for (long pid : pids(r.output())) {
            ProcessAssertions.assertDead(pid);
        }
    }

    @Test
    void backgroundJobDoesNotKeepTheCallOpen() throws Exception {
        // the call ends with the shell; a background job may outlive it (as with bash -c), its later output is lost
        ToolResult r = run(bash, ws, "{\"command\":\"sleep 60 & echo $!\",\"timeout\":30}");
        assertTrue(r.success(), r.output());
        long pid = pids(r.output()).get(0);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessAssertions.assertDead(pid);
    }

    @Test
    void secretsAreNotPassedToTheCommand() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("OPENAI_API_KEY", "sk", "GITHUB_TOKEN", "t", "MY_SECRET", "s",
                "DB_PASSWORD", "p", "TETHER_AUTH_TOKEN", "x", "TETHER_DATA_DIR", "d", "api_key", "k", "PATH", "/bin",
                "HOME", "/root", "LANG", "C"));
        BashTool.scrubEnvironment(env);
        assertEquals(Map.of("PATH", "/bin", "HOME", "/root", "LANG", "C"), env);

        ToolResult r = run(bash, ws, "{\"command\":\"env\"}");
        assertTrue(r.success());
        boolean sawPath = false;
        for (String line : r.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String name = line.substring(0, eq);
                assertFalse(BashTool.isSecretName(name), "secret variable passed on: " + name);
                sawPath |= name.equals("PATH");
            }
        }
        assertTrue(sawPath);
    }

    @Test
    void missingWorkspaceFailsClearly() throws Exception {
        ToolResult r = run(bash, (Path) null, "{\"command\":\"echo hi\"}");
        assertFalse(r.success());
        assertEquals("No workspace directory is set for this session; file tools are unavailable.", r.output());
    }

    @Test
    void timeoutOutOfRangeIsRejectedByValidation() {
        ArgumentValidator v = new ArgumentValidator(ToolRegistry.builtins(true));
        assertEquals("Invalid arguments for bash: property 'timeout' must be at most 600 but was 601",
                ((ArgumentValidator.Invalid) v.validate("bash", "{\"command\":\"x\",\"timeout\":601}")).message());
        assertEquals("Invalid arguments for bash: property 'timeout' must be at least 1 but was 0",
                ((ArgumentValidator.Invalid) v.validate("bash", "{\"command\":\"x\",\"timeout\":0}")).message());
    }

    private static String summary(String output) {
        return "length " + output.length() + ", marker at " + output.indexOf("\n[...") + ": "
                + output.substring(Math.max(0, output.indexOf("\n[...") - 10),
                Math.min(output.length(), output.indexOf("\n[...") + 120)) + " first b at " + output.indexOf('b');
    }

    private static List<Long> pids(String output) {
        List<Long> pids = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(\\d+)$").matcher(output);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }
}
