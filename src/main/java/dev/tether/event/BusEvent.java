package dev.tether.event;

import java.util.Objects;

/**
 * An event as a subscriber sees it: the event and, for a durable event, its journal sequence (the SSE {@code id}).
 * {@code seq} is {@code null} for ephemeral events, and for a durable event whose sink write failed.
 */
public record BusEvent(Long seq, SessionEvent event) {

    public BusEvent {
        Objects.requireNonNull(event, "event");
    }

    public boolean isDurable() {
        return event.isDurable();
    }

    /** The spec's snake_case type name of the event. */
    public String type() {
        return event.type();
    }
}
