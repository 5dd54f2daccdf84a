package dev.tether.session;

/**
 * Root of the service's exception hierarchy. Each subclass carries an HTTP status and a stable problem {@code type}
 * slug; the API renders it once, as {@code application/problem+json}, without class names or stack traces.
 */
public abstract class TetherException extends RuntimeException {

    private final int status;
    private final String problemType;

    protected TetherException(int status, String problemType, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problemType = problemType;
    }

    protected TetherException(int status, String problemType, String message) {
        this(status, problemType, message, null);
    }

    /** HTTP status of the problem response. */
    public int status() {
        return status;
    }

    /** Stable slug of the problem type, e.g. {@code session-not-found}. */
    public String problemType() {
        return problemType;
    }
}
