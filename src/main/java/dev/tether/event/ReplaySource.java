package dev.tether.event;

import java.util.List;

/**
 * Where a session's recorded durable events are read back from (the journal), for subscribers that resume after a
 * sequence number. Blocking: the bus calls it on a worker thread, never on the event loop.
 */
@FunctionalInterface
public interface ReplaySource {

    /** The durable events recorded with a sequence greater than {@code afterSeq}, in sequence order. */
    List<BusEvent> eventsAfter(long afterSeq);

    /** Nothing is recorded (storage-less buses). */
    ReplaySource NONE = afterSeq -> List.of();
}
