package dev.tether.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starting a command in its own process group and killing its whole tree. {@code setsid} (when installed) makes the
 * shell a session and group leader, so a kill of the group also reaches children that were re-parented after their
 * parent died; the descendants known to {@link ProcessHandle} are killed as well.
 */
final class ProcessTrees {

    private static final Optional<String> SETSID = find("/usr/bin/setsid", "/bin/setsid");
    private static final Optional<String> KILL = find("/usr/bin/kill", "/bin/kill");

    private ProcessTrees() {
    }

    /** The command prefixed with {@code setsid} when available. */
    static List<String> inOwnGroup(List<String> command) {
        if (SETSID.isEmpty()) {
            return command;
        }
        List<String> full = new java.util.ArrayList<>(command.size() + 1);
        full.add(SETSID.get());
        full.addAll(command);
        return full;
    }

    /** Whether {@link #inOwnGroup} really gives the process its own group. */
    static boolean groupsSupported() {
        return SETSID.isPresent() && KILL.isPresent();
    }

    /** Kills the process, its process group and every descendant, forcibly; waits briefly for the root to die. */
    static void killTree(Process process) {
        // killing must finish even on an interrupted (cancelled) thread: clear the flag, restore it afterwards
        boolean interrupted = Thread.interrupted();
        try {
            List<ProcessHandle> descendants = process.toHandle().descendants().toList();
            killGroup(process.pid());
            process.destroyForcibly();
            for (ProcessHandle child : descendants) {
                child.destroyForcibly();
            }
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the process group led by {@code pid} (members may outlive the leader). */
    static void killGroup(long pid) {
        if (!groupsSupported()) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            Process kill = new ProcessBuilder(KILL.get(), "-KILL", "--", "-" + pid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.getOutputStream().close();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // best effort: the descendants are still killed one by one
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Optional<String> find(String... candidates) {
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
