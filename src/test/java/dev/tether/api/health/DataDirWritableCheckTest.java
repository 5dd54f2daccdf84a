package dev.tether.api.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void probingLeavesTheSessionsDirectoryUnchanged() throws Exception {
        Path sessions = Files.createDirectories(dir.resolve("sessions"));
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(sessions);
        Thread.sleep(20); // past the file system's timestamp granularity, so that a change in sessions/ would show
        assertEquals(HealthCheckResponse.Status.UP, new DataDirWritableCheck(dir).call().getStatus());
        assertEquals(before, Files.getLastModifiedTime(sessions),
                "the file store's listing reads a changed sessions/ as another process's write and scans");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(sessions), files.toList(), "no probe left in the data dir");
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
