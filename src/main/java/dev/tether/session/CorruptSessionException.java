package dev.tether.session;

/** One stored session cannot be read: its snapshot is corrupt, too large, or records another id. */
public final class CorruptSessionException extends TetherException {
    public CorruptSessionException(String message, Throwable cause) {
        super(500, "session-unreadable", message, cause);
    }

    public CorruptSessionException(String message) {
        this(message, null);
    }
}
