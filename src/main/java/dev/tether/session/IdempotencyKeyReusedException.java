package dev.tether.session;

/** An {@code Idempotency-Key} came back with a different request than the one it was first used for. */
public final class IdempotencyKeyReusedException extends TetherException {
    public IdempotencyKeyReusedException(String message) {
        super(422, "idempotency-key-reused", message);
    }
}
