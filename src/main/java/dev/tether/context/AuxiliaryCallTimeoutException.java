package dev.tether.context;

import dev.tether.session.TetherException;

/** An auxiliary model call (title, RLM, summary) did not answer within its timeout; callers fall back. */
public final class AuxiliaryCallTimeoutException extends TetherException {
    public AuxiliaryCallTimeoutException(String message) {
        super(504, "auxiliary-call-timeout", message);
    }
}
