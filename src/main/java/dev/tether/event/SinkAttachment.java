package dev.tether.event;

/**
 * A {@link DurableSink} attached to a {@link SessionBus} ({@link SessionBus#attachSink}); closing detaches it, after
 * flushing the events it holds (once; a later attachment is not affected).
 */
public final class SinkAttachment implements AutoCloseable {

    private final SessionBus bus;
    private final DurableSink sink;

    SinkAttachment(SessionBus bus, DurableSink sink) {
        this.bus = bus;
        this.sink = sink;
    }

    @Override
    public void close() {
        bus.detach(sink);
    }
}
