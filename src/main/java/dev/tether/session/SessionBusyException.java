package dev.tether.session;

/** A turn is already running on the session (or another process holds its writer lock). */
public final class SessionBusyException extends TetherException {
    public SessionBusyException(String message) {
        super(409, "session-busy", message);
    }
}
