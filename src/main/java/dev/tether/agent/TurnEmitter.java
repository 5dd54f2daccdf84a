package dev.tether.agent;

import dev.tether.event.EventEmitter;
import dev.tether.event.SessionBus;
import dev.tether.event.WriteGrouping;
import dev.tether.event.SessionEvent;
import dev.tether.session.Usage;

/**
 * The turn's view of its session bus: forwards every event and sums the {@code token_usage} deltas, so that
 * {@code SessionResult.usage} and {@code Session.usage} are exactly the sum of the emitted deltas (spec §5.4),
 * whichever component (loop, title, compaction, RLM) made the call.
 */
final class TurnEmitter implements EventEmitter {

    private final SessionBus bus;
    private final LoopMetrics metrics;
    private Usage usage = Usage.ZERO;

    TurnEmitter(SessionBus bus, LoopMetrics metrics) {
        this.bus = bus;
        this.metrics = metrics;
    }

    @Override
    public void emit(SessionEvent event) {
        if (event instanceof SessionEvent.TokenUsage u) {
            synchronized (this) {
                usage = usage.plus(Usage.of(u.promptTokens(), u.completionTokens(), u.cacheReadTokens(),
                        u.cacheWriteTokens()));
            }
        }
        bus.emit(event);
        if (metrics != null) {
            metrics.observe(event);
        }
    }

    /**
     * Emits the turn's terminal event; {@code release} runs once it is recorded and before any subscriber receives
     * it ({@link SessionBus#emit(SessionEvent, Runnable)}).
     */
    void emitTerminal(SessionEvent event, Runnable release) {
        bus.emit(event, release);
        if (metrics != null) {
            metrics.observe(event);
        }
    }

    /** Opens the turn's group-commit scope on the bus ({@link SessionBus#groupWrites()}). */
    WriteGrouping groupWrites() {
        return bus.groupWrites();
    }

    /**
     * A durability point of the bus: durable events emitted so far are made durable with one flush and delivered
     * ({@link SessionBus#flush()}).
     */
    void flush() {
        bus.flush();
    }

    synchronized Usage usage() {
        return usage;
    }
}
