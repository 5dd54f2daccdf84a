package dev.tether.provider;

import dev.tether.session.TetherException;

/** A selector names a provider that is not configured, or no provider is configured at all. */
public final class UnknownProviderException extends TetherException {
    public UnknownProviderException(String message) {
        super(400, "unknown-provider", message);
    }
}
