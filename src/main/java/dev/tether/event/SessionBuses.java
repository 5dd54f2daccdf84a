package dev.tether.event;

import dev.tether.config.TetherConfig;
import dev.tether.session.SessionIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * The event bus of every session: one per session id, created on first use, closed when the session is deleted.
 * Delivery to waiting subscribers and journal replay run on the worker pool.
 */
@ApplicationScoped
public class SessionBuses {

    private final ConcurrentMap<String, SessionBus> buses = new ConcurrentHashMap<>();
    private final BusSettings settings;
    private final EventJournal journal;
    private final BusMetrics metrics;
    private final Executor executor;

    @Inject
    public SessionBuses(TetherConfig config, EventJournal journal, MeterRegistry registry) {
        this(BusSettings.from(config.events()), journal, new BusMetrics(registry),
                Infrastructure.getDefaultWorkerPool());
    }

    /** For use without CDI (tests, tools). */
    public SessionBuses(BusSettings settings, EventJournal journal, BusMetrics metrics, Executor executor) {
        this.settings = settings;
        this.journal = journal;
        this.metrics = metrics;
        this.executor = executor;
    }

    /** The session's bus, created on demand. Validates the id; does not check that the session exists. */
    public SessionBus bus(String sessionId) {
        SessionIds.require(sessionId);
        return buses.computeIfAbsent(sessionId, id -> new SessionBus(id, settings,
                afterSeq -> journal.eventsAfter(id, afterSeq), executor, metrics));
    }

    /** The session's bus if one was created. */
    public Optional<SessionBus> find(String sessionId) {
        return Optional.ofNullable(buses.get(sessionId));
    }

    /** Closes and forgets the session's bus (on delete): its subscribers complete. */
    public void close(String sessionId) {
        SessionBus bus = buses.remove(sessionId);
        if (bus != null) {
            bus.close();
        }
    }

    public BusMetrics metrics() {
        return metrics;
    }

    @PreDestroy
    void shutdown() {
        buses.keySet().forEach(this::close);
    }
}
