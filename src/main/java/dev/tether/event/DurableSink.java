package dev.tether.event;

/**
 * Where durable events are recorded before delivery (spec §5.5). Thread-safe. {@link #write} returns once the event
 * is durable, with its sequence number (the SSE {@code id}, increasing in write order); it may throw (an I/O error),
 * in which case the bus logs, counts and still delivers the event.
 */
@FunctionalInterface
public interface DurableSink {

    /** Records the event durably and returns its sequence number. */
    long write(SessionEvent event);
}
