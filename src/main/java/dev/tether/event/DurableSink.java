package dev.tether.event;

/**
 * Where durable events are recorded before delivery (spec §5.5). Thread-safe. {@link #write} records an event and
 * returns its sequence number (the SSE {@code id}, increasing in write order); it may throw (an I/O error), in which
 * case the bus logs, counts and still delivers the event.
 *
 * <p>A sink either makes each event durable before {@link #write} returns, or, when it {@linkplain #groupsWrites
 * groups writes}, only at the next {@link #flush()}: one durability point for all events (and other records) written
 * since the last. The bus then holds those events back from subscribers until the flush returned.
 */
public interface DurableSink {

    /** Records the event and returns its sequence number; durable now, or at the next {@link #flush()}. */
    long write(SessionEvent event);

    /** Whether {@link #write} leaves events to be made durable by {@link #flush()}. */
    default boolean groupsWrites() {
        return false;
    }

    /** Makes every event written so far durable (a durability point); may throw like {@link #write}. */
    default void flush() {
    }
}
