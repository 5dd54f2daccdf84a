package dev.tether.session;

/** No session with that id is stored. */
public final class SessionNotFoundException extends TetherException {
    public SessionNotFoundException(String id) {
        super(404, "session-not-found", "Session not found: " + id);
    }
}
