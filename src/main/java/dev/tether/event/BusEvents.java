package dev.tether.event;

import io.smallrye.mutiny.Multi;

/** Operators on bus streams. */
public final class BusEvents {

    private BusEvents() {
    }

    /**
     * The events up to and including the first terminal one ({@code done} or {@code error}), then completion; the bus
     * subscription is cancelled at that point. For streams of one turn ({@code POST /prompt} as SSE).
     */
    public static Multi<BusEvent> untilTerminal(Multi<BusEvent> events) {
        return events
                .onItem().transformToMultiAndConcatenate(e -> e.event().isTerminal()
                        ? Multi.createFrom().item(e).onCompletion().failWith(TurnEnded::new)
                        : Multi.createFrom().item(e))
                .onFailure(TurnEnded.class).recoverWithCompletion();
    }

    /** Internal marker: the terminal event went through. Never leaves {@link #untilTerminal}. */
    private static final class TurnEnded extends RuntimeException {
        TurnEnded() {
            super("turn ended", null, false, false);
        }
    }
}
