package dev.tether.session;

/** The session id is not 1–128 characters of {@code [A-Za-z0-9_-]}; raised before any storage is touched. */
public final class InvalidSessionIdException extends TetherException {
    public InvalidSessionIdException(String id) {
        super(400, "invalid-session-id", "Invalid session id: must be 1-128 characters of [A-Za-z0-9_-]"
                + (id == null ? "" : " (got " + Math.min(id.length(), 999) + " characters)"));
    }
}
