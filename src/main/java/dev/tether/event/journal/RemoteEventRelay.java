package dev.tether.event.journal;

import dev.tether.event.EventJournal;
import dev.tether.event.SessionBuses;
import dev.tether.session.store.PgEventNotifications;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Feeds the buses of this process with the durable events other replicas record (PostgreSQL store): an announced
 * {@code (session, seq)} reaches the session's bus, which reads the events from the journal table
 * ({@link dev.tether.event.SessionBus#relay}). So {@code GET /api/sessions/{id}/events} on one replica follows a turn
 * running on another. Ephemeral events (text deltas) stay on the replica that runs the turn.
 */
@Singleton
public record RemoteEventRelay(SessionBuses buses, EventJournal journal, PgEventNotifications notifications) {

    void start(@Observes StartupEvent event) {
        notifications.follow(this::committed);
    }

    void committed(String sessionId, long seq) {
        buses.find(sessionId).ifPresent(bus -> bus.relay(seq, after -> journal.eventsAfter(sessionId, after)));
    }
}
