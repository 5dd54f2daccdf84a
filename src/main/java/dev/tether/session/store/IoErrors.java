package dev.tether.session.store;

import dev.tether.session.StoreException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** Turns I/O failures into {@link StoreException}s whose message says what failed without paths or class names. */
final class IoErrors {

    private IoErrors() {
    }

    static StoreException store(String what, IOException e) {
        return new StoreException(what + ": " + reason(e), e);
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        // Plain IOExceptions carry the OS reason ("No space left on device"); file-system ones would carry a path.
        return m == null || e instanceof FileSystemException ? "I/O error" : m;
    }
}
