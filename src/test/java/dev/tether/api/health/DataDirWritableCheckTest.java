package dev.tether.api.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirWritableCheckTest {

    @TempDir
    Path dir;

    @Test
    void upWhenWritableAndLeavesNoProbeBehind() throws Exception {
        HealthCheckResponse r = new DataDirWritableCheck(dir).call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        try (var files = Files.list(dir.resolve("sessions"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void downWithReasonWhenTheDataDirCannotHoldFiles() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        HealthCheckResponse r = new DataDirWritableCheck(notADir).call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertTrue(r.getData().orElseThrow().containsKey("error"));
    }

    @Test
    void downOnceShutdownBegins() {
        DataDirWritableCheck check = new DataDirWritableCheck(dir);
        check.onShutdown(null);
        assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
    }
}
