package dev.tether.session;

/** A request body or parameter is malformed or violates a rule. */
public class InvalidRequestException extends TetherException {
    public InvalidRequestException(String message) {
        super(400, "invalid-request", message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(400, "invalid-request", message, cause);
    }
}
