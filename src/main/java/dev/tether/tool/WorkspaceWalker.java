package dev.tether.tool;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Collects the regular files under a directory for {@code glob} and {@code grep}: symlinks are not followed (a link
 * cannot lead the walk out of the workspace), {@code .git} directories are skipped, unreadable entries are ignored.
 */
final class WorkspaceWalker {

    private WorkspaceWalker() {
    }

    /** Regular files under {@code start} (or {@code start} itself when it is a regular file). */
    static List<Path> regularFiles(Path start, BooleanSupplier cancelled) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(start, LinkOption.NOFOLLOW_LINKS)) {
            files.add(start);
            return files;
        }
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (cancelled.getAsBoolean()) {
                    return FileVisitResult.TERMINATE;
                }
                Path name = dir.getFileName();
                if (!dir.equals(start) && name != null && name.toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
