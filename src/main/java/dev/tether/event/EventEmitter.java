package dev.tether.event;

/**
 * Where producers (the loop, tools, compaction, RLM) send a session's events. The session's {@code SessionBus} is the
 * real one; emission is serialized and durable events are recorded before delivery.
 */
@FunctionalInterface
public interface EventEmitter {

    void emit(SessionEvent event);

    /** Discards everything (tests, storage-less use). */
    EventEmitter NONE = event -> {
    };
}
