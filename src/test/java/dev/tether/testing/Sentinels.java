package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Sentinel files in a directory outside the workspace root, for confinement tests (spec §4.5): {@code secret.txt},
 * {@code sub/nested.txt} and a file whose very name is the token, each holding the unique {@code token}.
 * {@link #snapshot()} records the tree (every entry, file hashes, link targets, never following links) so a test can
 * prove that not a byte was written there; {@link #assertNoLeak} that no tool result or answer carries the token
 * (content or name).
 */
public record Sentinels(Path dir, String token) {

    /** The file every confinement test tries to read, edit or overwrite. */
    public static final String SECRET = "secret.txt";

    /** Creates {@code dir} (outside the root) with the sentinel files. */
    public static Sentinels plant(Path dir) throws IOException {
        String token = "SENTINEL-" + UUID.randomUUID();
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve(SECRET), token + "\n");
        Files.writeString(dir.resolve("sub/nested.txt"), "nested " + token + "\n");
        Files.writeString(dir.resolve(token + ".txt"), token);
        return new Sentinels(dir, token);
    }

    /** Every entry under {@code dir}: relative path → {@code dir}, {@code link:<target>} or {@code file:<sha-256>}. */
    public Map<String, String> snapshot() {
        return snapshot(dir);
    }

    /** As {@link #snapshot()} for any tree. */
    public static Map<String, String> snapshot(Path tree) {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tree)) { // never follows links
            walk.forEach(p -> entries.put(tree.relativize(p).toString(), describe(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** Fails when the tree under {@code dir} differs from {@code before}. */
    public void assertUnchanged(Map<String, String> before, String what) {
        assertEquals(before, snapshot(), "the outside directory changed: " + what);
    }

    /** Fails when {@code text} carries the token. */
    public void assertNoLeak(String text, String what) {
        assertFalse(text != null && text.contains(token), "sentinel content leaked: " + what + " → " + text);
    }

    private static String describe(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                return "link:" + Files.readSymbolicLink(p);
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return "dir";
            }
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
            return "file:" + HexFormat.of().formatHex(hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
