package dev.tether.session;

/** The store cannot read or write (disk full, permission denied, I/O error): the service is unavailable for it. */
public final class StoreException extends TetherException {
    public StoreException(String message, Throwable cause) {
        super(503, "store-unavailable", message, cause);
    }
}
