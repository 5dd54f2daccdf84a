package dev.tether.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.SessionBus;
import dev.tether.event.SessionBuses;
import dev.tether.event.journal.JournalSink;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.Titles;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;

/**
 * Changes a session's mutable fields ({@code PATCH /api/sessions/{id}}) as a writer of the session: refused with 409
 * while a turn runs; the change is one journaled (fsynced) metadata record that bumps {@code updated_at}; a changed
 * directory or a cleared title then goes through the context-change hook (§8.4).
 */
@ApplicationScoped
public class SessionEditor {

    private final SessionStore store;
    private final TurnRegistry turns;
    private final SessionBuses buses;
    private final ContextChangeHook hook;
    private final ObjectMapper mapper;

    public SessionEditor(SessionStore store, TurnRegistry turns, SessionBuses buses, ContextChangeHook hook,
                         ObjectMapper mapper) {
        this.store = store;
        this.turns = turns;
        this.buses = buses;
        this.hook = hook;
        this.mapper = mapper;
    }

    /** Applies the edit and returns the session as stored afterwards. */
    public Session edit(String sessionId, SessionEdit edit) {
        SessionIds.require(sessionId);
        if (!store.exists(sessionId)) {
            throw new SessionNotFoundException(sessionId);
        }
        try (TurnRegistry.Turn slot = turns.begin(sessionId, false);
             SessionWriter writer = store.openWriter(sessionId)) {
            Session before = writer.current();
            String title = edit.title() == null ? before.title() : Titles.settable(edit.title().value());
            SessionMetadata metadata = before.metadata();
            if (edit.maxSteps() != null) {
                metadata = metadata.withMaxSteps(edit.maxSteps().value());
            }
            boolean directoryChanged = edit.directory() != null && !edit.directory().equals(metadata.directory());
            if (directoryChanged) {
                metadata = metadata.withDirectory(edit.directory());
            }
            if (!Objects.equals(title, before.title()) || !metadata.equals(before.metadata())) {
                writer.updateMeta(title, metadata, before.usage(), Instant.now());
            }
            // a title that set_title turns into null (blank, boilerplate) is a clear, like an explicit null
            boolean titleCleared = edit.title() != null && title == null;
            if (directoryChanged || titleCleared) {
                SessionBus bus = buses.bus(sessionId);
                try (SessionBus.Attachment sink = bus.attachSink(new JournalSink(writer, mapper))) {
                    if (directoryChanged) {
                        hook.apply(writer, bus, ContextChange.DIRECTORY);
                    }
                    if (titleCleared) {
                        hook.apply(writer, bus, ContextChange.TITLE_CLEARED);
                    }
                }
            }
            return writer.current();
        }
    }
}
