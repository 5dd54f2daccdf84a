package dev.tether.event;

/**
 * A durable event was emitted on a bus with no {@link DurableSink} attached. Durable events must be recorded before
 * delivery, so this is a wiring error: whoever emits durable events must hold the session's writer and attach a sink
 * bound to it ({@link SessionBus#attachSink}).
 */
public final class NoDurableSinkException extends IllegalStateException {

    public NoDurableSinkException(String sessionId, String type) {
        super("durable event '" + type + "' emitted on session " + sessionId + " with no DurableSink attached");
    }
}
