package dev.tether.session.store;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What the listing index remembers of a file to notice that it changed: size, modification time (nanoseconds) and the
 * file key (inode), which changes on every atomic snapshot rename. {@link #ABSENT} for a missing file.
 */
@RegisterForReflection
record FileStamp(long size, long mtimeNanos, String key) {

    static final FileStamp ABSENT = new FileStamp(-1, 0, "");

    static FileStamp of(Path file) throws IOException {
        try {
            return of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return ABSENT;
        }
    }

    static FileStamp of(BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        return new FileStamp(attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                key == null ? "" : key.toString());
    }

    boolean exists() {
        return size >= 0;
    }

    long bytes() {
        return Math.max(0, size);
    }
}
