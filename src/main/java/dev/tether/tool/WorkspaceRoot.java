package dev.tether.tool;

import dev.tether.config.TetherConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The workspace root ({@code tether.workspace.root}, spec §4.5) and the one check that a session directory lies inside
 * it. Both sides are compared as real paths resolved at the time of the check (symlinks followed component by
 * component, dangling ones included), never as they were stored: a directory that was inside at creation but has
 * since become, or been swapped for, a symlink leading out is caught when it is used.
 */
@Singleton
public final class WorkspaceRoot {

    private final Path configured;

    @Inject
    public WorkspaceRoot(TetherConfig config) {
        this(Path.of(config.workspace().root().orElse("")));
    }

    public WorkspaceRoot(Path root) {
        this.configured = root.toAbsolutePath().normalize();
    }

    /** The root's real path now; the configured path itself when it cannot be resolved (a symlink loop). */
    public Path real() {
        try {
            return WorkspacePaths.realPath(configured);
        } catch (IOException e) {
            return configured;
        }
    }

    /**
     * The real path of {@code directory} (a relative one counts from the process's working directory, as the file
     * system sees it) when it lies inside the root's real path, the root itself included; empty when it lies outside
     * or cannot be resolved. A directory that does not exist yet is judged by where it would be created.
     */
    public Optional<Path> realInside(Path directory) {
        Path real;
        try {
            real = WorkspacePaths.realPath(directory.toAbsolutePath());
        } catch (IOException e) {
            return Optional.empty();
        }
        return real.startsWith(real()) ? Optional.of(real) : Optional.empty();
    }

    /** {@link #realInside(Path)} or a 403 {@code workspace-escape} problem. */
    public Path requireInside(Path directory) {
        return realInside(directory).orElseThrow(() -> new WorkspaceEscapeException(directory.toString()));
    }

    /** As {@link #requireInside(Path)} for a stored directory string; one that is not a valid path escapes too. */
    public Path requireInside(String directory) {
        Path path;
        try {
            path = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new WorkspaceEscapeException(directory);
        }
        return requireInside(path);
    }
}
