package dev.tether.importer;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Directory rules used by the import (spec §9, §10.4): how a rollout's {@code cwd} is stored, and how a stored
 * directory matches a query directory.
 */
public final class Directories {

    private Directories() {
    }

    /** A {@code cwd} as stored: canonical if it exists, else as written; blank → {@code null}. */
    public static String stored(String cwd) {
        if (cwd == null || cwd.isBlank()) {
            return null;
        }
        return parse(cwd).flatMap(Directories::canonical).map(Path::toString).orElse(cwd);
    }

    /** The canonical form when the path exists, else the normalised absolute path; empty when not a path. */
    public static Optional<Path> key(String dir) {
        Optional<Path> p = parse(dir);
        return p.flatMap(Directories::canonical).or(() -> p);
    }

    /**
     * {@code import_for_directory} (§10.5): the canonical {@code cwd} equals the canonical {@code dir} (each as
     * normalised absolute path when it does not exist).
     */
    public static boolean sameDirectory(String cwd, String dir) {
        if (cwd == null || dir == null) {
            return false;
        }
        Optional<Path> a = key(cwd);
        return a.isPresent() && a.equals(key(dir));
    }

    /**
     * The directory match of listings (§9): a session with directory {@code d} against a query {@code q}. {@code null}
     * never matches; equal normalised or canonical forms match; when {@code d} no longer exists, an ancestor-or-self
     * relation either way (by path components) matches too.
     */
    public static boolean matches(String d, String q) {
        if (d == null || q == null) {
            return false;
        }
        Optional<Path> dn = parse(d);
        Optional<Path> qn = parse(q);
        if (dn.isEmpty() || qn.isEmpty()) {
            return false;
        }
        Path qc = canonical(qn.get()).orElse(qn.get());
        if (dn.get().equals(qn.get()) || dn.get().equals(qc)) {
            return true;
        }
        Optional<Path> dc = canonical(dn.get());
        if (dc.isPresent()) {
            return dc.get().equals(qc);
        }
        Path dp = dn.get();
        return dp.startsWith(qc) || qc.startsWith(dp) || dp.startsWith(qn.get()) || qn.get().startsWith(dp);
    }

    private static Optional<Path> parse(String dir) {
        if (dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(dir).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> canonical(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // does not exist (any more): callers fall back to the written form
        }
    }
}
