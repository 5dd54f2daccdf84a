package dev.tether.event.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.BusEvent;
import dev.tether.event.EventJournal;
import dev.tether.event.SessionEvent;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.StoredEvent;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Replays durable events from the store's journal ({@link SessionStore#eventsAfter}). The journal is the source of
 * truth, so replay works the same after a restart. A record this version cannot read (a newer event type) is skipped
 * with a warning rather than ending the stream.
 */
@Singleton
public record StoreEventJournal(SessionStore store, ObjectMapper mapper) implements EventJournal {

    private static final Logger LOG = Logger.getLogger(StoreEventJournal.class);

    @Override
    public List<BusEvent> eventsAfter(String sessionId, long afterSeq) {
        List<StoredEvent> stored = store.eventsAfter(sessionId, afterSeq);
        List<BusEvent> events = new ArrayList<>(stored.size());
        for (StoredEvent s : stored) {
            try {
                events.add(new BusEvent(s.seq(), mapper.treeToValue(s.event(), SessionEvent.class)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                LOG.warnf("session %s: journal event %d is not readable by this version; skipped (%s)", sessionId,
                        s.seq(), e.getClass().getSimpleName());
            }
        }
        return events;
    }
}
