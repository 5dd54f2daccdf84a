package dev.tether.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Workspace confinement (spec §4.5). At every call the session directory's real path must lie inside the workspace
 * root's real path ({@link WorkspaceRoot}), so a directory swapped for a symlink leading out is refused at use, not
 * only at creation. A path argument, relative or absolute, is normalised and then resolved through symlinks component
 * by component (dangling links included, so a link pointing outside cannot be written through); the result must lie
 * inside the session directory's real path, else {@code Path escapes the workspace: <path>}. Tools operate on the
 * resolved real path, never on the argument as given.
 */
public final class WorkspacePaths {

    /** Symlinks followed while resolving one path before giving up (as the kernel's ELOOP limit). */
    private static final int MAX_LINKS = 40;

    private WorkspacePaths() {
    }

    /**
     * The real path of a call's session directory, checked now to lie inside the workspace root's real path; fails
     * clearly when the session has none, it lies outside the root (or cannot be resolved), or it does not exist.
     */
    public static Path root(ToolContext context) throws ToolFailure {
        Path workspace = context.workspace();
        if (workspace == null) {
            throw new ToolFailure("No workspace directory is set for this session; file tools are unavailable.");
        }
        if (context.workspaceRoot() == null) {
            throw new ToolFailure("No workspace root is known for this call; file tools are unavailable.");
        }
        Path real = context.workspaceRoot().realInside(workspace).orElseThrow(() -> new ToolFailure(
                "The session directory lies outside the workspace root (or cannot be resolved): " + workspace
                        + "; tools refuse to use it."));
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolFailure("The workspace directory does not exist: " + workspace);
        }
        return real;
    }

    /** Resolves a path argument against the call's workspace; see {@link #resolve(Path, String)}. */
    public static Path resolve(ToolContext context, String path) throws ToolFailure {
        return resolve(root(context), path);
    }

    /**
     * Resolves {@code path} against the canonical {@code root}: the returned path has every existing component's
     * symlinks resolved and lies inside {@code root}.
     */
    public static Path resolve(Path root, String path) throws ToolFailure {
        Path given;
        try {
            given = Path.of(path.isEmpty() ? "." : path);
        } catch (InvalidPathException e) {
            throw new ToolFailure("Invalid path: " + path);
        }
        Path absolute = (given.isAbsolute() ? given : root.resolve(given)).normalize();
        Path real;
        try {
            real = realPath(absolute);
        } catch (IOException e) {
            throw new ToolFailure("Path cannot be resolved: " + path);
        }
        if (!real.startsWith(root)) {
            throw new ToolFailure("Path escapes the workspace: " + path);
        }
        return real;
    }

    /** {@code path} relative to {@code root}, with {@code /} separators; {@code .} for the root itself. */
    public static String relative(Path root, Path path) {
        String rel = root.relativize(path).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /**
     * Like {@link Path#toRealPath} for the longest existing prefix; components after the first missing one are kept
     * as they are. Symlinks are followed even when their target does not exist.
     */
    static Path realPath(Path absolute) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        for (Path part : absolute) {
            pending.addLast(part.toString());
        }
        Path current = absolute.getRoot();
        int links = 0;
        boolean missing = false;
        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                Path parent = current.getParent();
                current = parent == null ? current : parent;
                continue;
            }
            Path next = current.resolve(name);
            if (missing || !Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                missing = true; // nothing below a missing component exists; keep the rest lexically
                current = next;
                continue;
            }
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links");
                }
                Path target = Files.readSymbolicLink(next);
                if (target.isAbsolute()) {
                    current = target.getRoot();
                }
                Deque<String> expanded = new ArrayDeque<>();
                for (Path part : target) {
                    expanded.addLast(part.toString());
                }
                while (!expanded.isEmpty()) {
                    pending.addFirst(expanded.pollLast());
                }
                continue;
            }
            current = next;
        }
        return current.normalize();
    }
}
