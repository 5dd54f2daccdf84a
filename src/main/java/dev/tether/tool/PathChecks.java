package dev.tether.tool;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The existence and kind checks the file tools make on a resolved workspace path, with the failures they report
 * ({@code raw} is the path as the model gave it).
 */
final class PathChecks {

    private PathChecks() {
    }

    /** An existing path, else {@code Path not found}. */
    static Path existing(Path path, String raw) throws ToolFailure {
        if (!Files.exists(path)) {
            throw new ToolFailure("Path not found: " + raw);
        }
        return path;
    }

    /** An existing directory, else {@code Path not found} or {@code Not a directory}. */
    static Path directory(Path path, String raw) throws ToolFailure {
        if (!Files.isDirectory(existing(path, raw))) {
            throw new ToolFailure("Not a directory: " + raw);
        }
        return path;
    }

    /**
     * An existing file, else {@code File not found} or {@code Is a directory, not a file} followed by
     * {@code directoryHint} (what to use instead; may be empty).
     */
    static Path file(Path path, String raw, String directoryHint) throws ToolFailure {
        if (!Files.exists(path)) {
            throw new ToolFailure("File not found: " + raw);
        }
        return notDirectory(path, raw, directoryHint);
    }

    /** A path that is not a directory (it may not exist yet), else {@code Is a directory, not a file}. */
    static Path notDirectory(Path path, String raw, String directoryHint) throws ToolFailure {
        if (Files.isDirectory(path)) {
            throw new ToolFailure("Is a directory, not a file: " + raw + directoryHint);
        }
        return path;
    }
}
