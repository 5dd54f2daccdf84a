package dev.tether.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Session workspaces for tests: fresh directories under {@code target/}, which lies inside the default workspace root
 * (the working directory), so sessions may use them.
 */
public final class Workspaces {

    private Workspaces() {
    }

    /** A new empty workspace, as its canonical path. */
    public static Path create() throws IOException {
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        return Files.createTempDirectory(target, "ws-").toRealPath();
    }

    /** A new workspace holding {@code a.txt} = {@code hello\n} (the spec's acceptance defaults, §13). */
    public static Path withHello() throws IOException {
        Path ws = create();
        Files.writeString(ws.resolve("a.txt"), "hello\n");
        return ws;
    }
}
