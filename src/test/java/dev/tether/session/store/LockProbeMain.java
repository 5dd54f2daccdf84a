package dev.tether.session.store;

import dev.tether.testing.StoreDefaults;
import dev.tether.session.SessionBusyException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link CrossProcessLockTest}: tries to take the writer of a session in the given data dir and
 * prints {@code BUSY}, {@code ACQUIRED} or {@code ERROR <message>}.
 */
public final class LockProbeMain {

    private LockProbeMain() {
    }

    public static void main(String[] args) {
        FileSessionStore store = new FileSessionStore(Path.of(args[0]), StoreDefaults.settings(), new SimpleMeterRegistry());
        try (SessionWriter writer = store.openWriter(args[1])) {
            System.out.println("ACQUIRED seq=" + writer.lastSeq());
        } catch (SessionBusyException e) {
            System.out.println("BUSY");
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e.getMessage());
        }
        System.out.flush();
    }
}
