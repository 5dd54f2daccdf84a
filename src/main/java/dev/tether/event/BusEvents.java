package dev.tether.event;

import io.smallrye.mutiny.Multi;

/** Operators on bus streams. */
public final class BusEvents {

    /**
     * Follows a terminal event inside {@link #untilTerminal} so that the stream can end right after it; compared by
     * identity and never emitted.
     */
    private static final BusEvent END = new BusEvent(null, new SessionEvent.Thinking());

    private BusEvents() {
    }

    /**
     * The events up to and including the first terminal one ({@code done} or {@code error}), then completion; the bus
     * subscription is cancelled at that point. For streams of one turn ({@code POST /prompt} as SSE).
     * <p>
     * A marker item after the terminal event ends the stream as soon as the subscriber asks for more, without
     * waiting for a later bus event; a failure used as the marker instead reached Mutiny's dropped-exception log
     * whenever the subscriber cancelled right after the terminal event.
     */
    public static Multi<BusEvent> untilTerminal(Multi<BusEvent> events) {
        return events
                .onItem().transformToMultiAndConcatenate(e -> e.event().isTerminal()
                        ? Multi.createFrom().items(e, END)
                        : Multi.createFrom().item(e))
                .select().first(e -> e != END);
    }
}
