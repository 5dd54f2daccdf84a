package dev.tether.session;

/** A part of a request is larger than its configured limit (e.g. a prompt image over {@code max-image-bytes}). */
public final class PayloadTooLargeException extends TetherException {
    public PayloadTooLargeException(String message) {
        super(413, "payload-too-large", message);
    }
}
