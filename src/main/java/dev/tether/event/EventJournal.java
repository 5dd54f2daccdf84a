package dev.tether.event;

import java.util.List;

/**
 * The recorded durable events of every session, for replay ({@link SessionBuses} builds each bus's
 * {@link ReplaySource} from it). The bean lives with the store adapter ({@code dev.tether.event.journal}) so that this
 * package does not depend on the store. Blocking.
 */
public interface EventJournal {

    /** Durable events of the session recorded after {@code afterSeq}, in sequence order. */
    List<BusEvent> eventsAfter(String sessionId, long afterSeq);
}
