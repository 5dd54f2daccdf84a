package dev.tether.session.store;

import dev.tether.testing.StoreDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.Message;
import dev.tether.session.Session;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OS file lock keeps a second process (a child JVM on the same data dir) from writing a held session. */
@Tag("slow")
class CrossProcessLockTest {

    @TempDir
    Path dataDir;

    @Test
    void childProcessIsBusyWhileHeldAndAcquiresAfterRelease() throws Exception {
        FileSessionStore store = new FileSessionStore(dataDir, StoreDefaults.settings(), new SimpleMeterRegistry());
        Session s = Session.create("locked", null, null, Instant.parse("2026-11-02T10:00:00Z"));
        store.create(s);
        SessionWriter writer = store.openWriter(s.id());
        writer.appendMessage(Message.userText("hello"), Instant.now());

        assertEquals("BUSY", probe(s.id()));

        writer.close();
        assertEquals("ACQUIRED seq=1", probe(s.id()));
        store.close();
    }

    private String probe(String id) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockProbeMain.class.getName(), dataDir.toString(), id)).redirectErrorStream(false).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        String[] lines = out.split("\\R");
        return lines[lines.length - 1];
    }
}
