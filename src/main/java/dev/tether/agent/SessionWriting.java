package dev.tether.agent;

import dev.tether.event.SessionBus;
import dev.tether.event.SessionBuses;
import dev.tether.event.SinkAttachment;
import dev.tether.event.journal.JournalSinks;
import dev.tether.session.Cancellation;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import jakarta.inject.Singleton;
import java.util.function.BiFunction;

/**
 * Work on a session outside a turn, as its single writer: holds its turn slot (so it is refused with 409 while a turn
 * runs, and no turn starts meanwhile), its store writer, and the journal as the bus's durable sink, for the duration.
 */
@Singleton
public record SessionWriting(SessionStore store, TurnRegistry turns, SessionBuses buses, JournalSinks sinks) {

    /** What runs as the writer: the store writer, the bus, and the slot's cancellation (an abort reaches it). */
    @FunctionalInterface
    public interface Work<T> {
        T apply(SessionWriter writer, SessionBus bus, Cancellation cancellation);
    }

    /** Runs {@code work} with the writer and the bus (durable events are journaled through that writer). */
    public <T> T run(String sessionId, BiFunction<SessionWriter, SessionBus, T> work) {
        return run(sessionId, (Work<T>) (writer, bus, cancellation) -> work.apply(writer, bus));
    }

    /** As {@link #run(String, BiFunction)}, for work that must stop when the session's writer is aborted. */
    public <T> T run(String sessionId, Work<T> work) {
        SessionIds.require(sessionId);
        if (!store.exists(sessionId)) {
            throw new SessionNotFoundException(sessionId);
        }
        try (TurnRegistry.Turn slot = turns.begin(sessionId, false);
             SessionWriter writer = store.openWriter(sessionId)) {
            SessionBus bus = buses.bus(sessionId);
            try (SinkAttachment sink = bus.attachSink(sinks.bindTo(writer))) {
                return work.apply(writer, bus, slot.cancellation());
            }
        }
    }
}
