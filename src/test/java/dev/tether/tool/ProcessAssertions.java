package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Checks that processes are really gone (a zombie waiting to be reaped counts as dead: it runs nothing). */
public final class ProcessAssertions {

    private ProcessAssertions() {
    }

    public static void assertDead(long pid) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            try {
                handle.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still listed: maybe a zombie nobody reaps; the /proc state below decides
            }
        }
        assertFalse(running(pid), "process " + pid + " is still running");
    }

    /** True when the process exists in a state other than zombie/dead. */
    public static boolean running(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            String s = Files.readString(stat);
            char state = s.charAt(s.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
