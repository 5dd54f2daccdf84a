package dev.tether.session.store;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The directory match of spec §9 for one query. The query is canonicalised if it exists. A session directory
 * {@code d} matches when it equals the query as a normalised path or their canonical forms are equal; when {@code d}
 * no longer exists, also when one is an ancestor-or-self of the other by path components ({@code /a/b} contains
 * {@code /a/b/c}, not {@code /a/bc}). Canonical forms are cached per listing because sessions share directories.
 */
final class DirectoryMatch {

    private final Path queryNormal;
    private final Path queryCanonical;
    private final Map<String, Optional<Path>> canonical = new HashMap<>();

    DirectoryMatch(String query) {
        this.queryNormal = normal(query);
        this.queryCanonical = queryNormal == null ? null : canonical(queryNormal).orElse(queryNormal);
    }

    boolean matches(String directory) {
        if (directory == null || queryNormal == null) {
            return false;
        }
        Path d = normal(directory);
        if (d == null) {
            return false;
        }
        if (d.equals(queryNormal) || d.equals(queryCanonical)) {
            return true;
        }
        Optional<Path> dCanonical = canonical.computeIfAbsent(directory, k -> canonical(d));
        if (dCanonical.isPresent()) {
            return dCanonical.get().equals(queryCanonical);
        }
        return related(d, queryCanonical) || related(d, queryNormal);
    }

    private static boolean related(Path a, Path b) {
        return a.startsWith(b) || b.startsWith(a);
    }

    private static Path normal(String dir) {
        try {
            return Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Optional<Path> canonical(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
