package dev.tether.event;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Group commit on a {@link SessionBus}: the durable events written to a sink that groups writes, held back from
 * subscribers until the flush of their durability point made them durable, and the open {@link WriteGrouping} scopes.
 * Used under the bus's emit lock only.
 */
final class HeldEvents {

    private static final Logger LOG = Logger.getLogger(HeldEvents.class);

    private final String sessionId;
    private final BusMetrics metrics;
    private final List<BusEvent> held = new ArrayList<>();
    private int scopes;

    HeldEvents(String sessionId, BusMetrics metrics) {
        this.sessionId = sessionId;
        this.metrics = metrics;
    }

    void openScope() {
        scopes++;
    }

    void closeScope() {
        scopes--;
    }

    /** Whether durability points are being marked (a turn runs): durable events then wait for one. */
    boolean grouping() {
        return scopes > 0;
    }

    void add(BusEvent event) {
        held.add(event);
    }

    /**
     * Makes the held events durable through {@code sink}'s flush (when any wait). A flush failure is logged and
     * counted like a write failure; the events are delivered anyway (§5.5).
     */
    void flush(DurableSink sink) {
        if (held.isEmpty() || sink == null) {
            return;
        }
        try {
            sink.flush();
        } catch (RuntimeException e) {
            for (BusEvent ignored : held) {
                metrics.sinkFailure();
            }
            LOG.warnf(e, "%d durable event(s) of session %s could not be recorded; delivering them anyway",
                    held.size(), sessionId);
        }
    }

    /** The held events in order, no longer held. */
    List<BusEvent> take() {
        List<BusEvent> out = List.copyOf(held);
        held.clear();
        return out;
    }
}
