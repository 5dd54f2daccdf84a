package dev.tether.session.store;

import java.io.IOException;
import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over the target, fsync the
 * directory. A reader (or a restart after a crash) sees the old or the new content, never a mix.
 */
final class AtomicFiles {

    static final String TEMP_SUFFIX = ".tmp";
    /** {@code .<target name>.<random UUID>.tmp}: what {@link #write} names its temp file, and nothing else. */
    private static final Pattern TEMP_NAME = Pattern.compile(
            "\\.(.+)\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + Pattern.quote(TEMP_SUFFIX));

    private AtomicFiles() {
    }

    static void write(Path target, byte[]... chunks) throws IOException {
        Path dir = target.getParent();
        Path temp = dir.resolve(tempName(target.getFileName().toString()));
        try {
            // stream I/O, not a channel: an interrupt of the calling thread must not abort (and close) the write
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                for (byte[] chunk : chunks) {
                    out.write(chunk);
                }
                Fsyncs.sync(out.getFD());
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /** The name of a fresh temp file for replacing the file named {@code target}. */
    static String tempName(String target) {
        return "." + target + "." + UUID.randomUUID() + TEMP_SUFFIX;
    }

    /** The name of the file a temp file of {@link #write} was meant to replace; empty for any other name. */
    static Optional<String> targetOfTemp(String fileName) {
        Matcher m = TEMP_NAME.matcher(fileName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Makes renames, creations and deletions in {@code dir} durable. Not possible on every OS; best effort there. */
    static void syncDirectory(Path dir) throws IOException {
        // a directory can only be synced through a channel; keep a pending interrupt from closing it mid-call
        boolean interrupted = Thread.interrupted();
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            Fsyncs.force(ch);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Windows cannot open directories as channels; the rename is still atomic there.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
