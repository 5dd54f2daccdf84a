package dev.tether.event;

/**
 * A {@link SessionBus#groupWrites()} scope: while it is open, durable events of a sink that groups writes wait for a
 * durability point instead of being flushed one by one. Closing it (once; later closes do nothing) flushes what is
 * held.
 */
public final class WriteGrouping implements AutoCloseable {

    private final SessionBus bus;
    private boolean closed;

    WriteGrouping(SessionBus bus) {
        this.bus = bus;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bus.endGrouping();
        }
    }
}
