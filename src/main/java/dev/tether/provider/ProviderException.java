package dev.tether.provider;

import dev.tether.session.TetherException;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed provider call, classified once (spec §3.7). {@code status} is the HTTP status (0 when none arrived);
 * {@code retryAfter} is the server-suggested delay, unclamped.
 */
public class ProviderException extends TetherException {

    /** Classes of §3.7 and §3.8. */
    public enum Kind {
        /** The prompt is too long for the model: walk the prompt-too-long plan. */
        CONTEXT_LENGTH,
        /** Retry after a wait. */
        RETRYABLE,
        /** End the turn. */
        FATAL
    }

    private final Kind kind;
    private final int httpStatus;
    private final String vendorCode;
    private final Duration retryAfter;

    public ProviderException(Kind kind, int httpStatus, String vendorCode, String message, Duration retryAfter,
                             Throwable cause) {
        super(502, "provider-error", message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.vendorCode = vendorCode;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Optional<String> vendorCode() {
        return Optional.ofNullable(vendorCode);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
