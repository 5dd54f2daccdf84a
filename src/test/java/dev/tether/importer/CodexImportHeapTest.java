package dev.tether.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports a generated ~50 MB rollout in a child JVM limited to 64 MiB of heap: it succeeds only if the reader streams
 * and keeps a bounded window, never the whole file.
 */
@Tag("slow")
class CodexImportHeapTest {

    @TempDir
    Path dir;

    @Test
    void fiftyMegabyteRolloutImportsWithin64MibOfHeap() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                CodexImportBench.class.getName(), "50", dir.toString()))
                .redirectErrorStream(true).start();
        // the bound is a safety net against a hung child, not a performance assertion
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains(" messages=4000 "), out);
        assertTrue(out.contains("max_heap_mb="), out);
        System.out.println("Codex import heap bench: " + out.trim());
    }
}
