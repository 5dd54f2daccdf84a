package dev.tether.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.context.ContextManager;
import dev.tether.event.EventEmitter;
import dev.tether.event.SessionBus;
import dev.tether.event.SessionBuses;
import dev.tether.event.SessionEvent;
import dev.tether.event.journal.JournalSink;
import dev.tether.importer.ImportOutcome;
import dev.tether.importer.ImportReport;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.Timestamps;
import dev.tether.session.Titles;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;

/**
 * The context-change hook (§8.4): the one place every change of a session's context goes through — history replaced
 * by an import, a compaction committed, the directory changed, the title cleared. It drops the cached compaction
 * (§6.3), regenerates the heuristic title when the reason asks for it, bumps {@code updated_at} (journaled, fsynced)
 * and tells followers with a durable {@code context_changed} event.
 */
@ApplicationScoped
public class ContextChangeHook {

    private final SessionStore store;
    private final TurnRegistry turns;
    private final SessionBuses buses;
    private final ContextManager context;
    private final ObjectMapper mapper;

    public ContextChangeHook(SessionStore store, TurnRegistry turns, SessionBuses buses, ContextManager context,
                             ObjectMapper mapper) {
        this.store = store;
        this.turns = turns;
        this.buses = buses;
        this.context = context;
        this.mapper = mapper;
    }

    /**
     * Runs the hook for a session nobody is writing (after an import): takes its turn slot and writer for the
     * duration, so it fails with 409 while a turn runs.
     */
    public void run(String sessionId, ContextChange reason) {
        SessionIds.require(sessionId);
        try (TurnRegistry.Turn slot = turns.begin(sessionId, false);
             SessionWriter writer = store.openWriter(sessionId)) {
            SessionBus bus = buses.bus(sessionId);
            try (SessionBus.Attachment sink = bus.attachSink(new JournalSink(writer, mapper))) {
                apply(writer, bus, reason);
            }
        }
    }

    /** Runs the hook ({@code import}) for every session whose stored history the import replaced. */
    public void imported(ImportReport report) {
        report.files().stream().filter(f -> f.outcome() == ImportOutcome.IMPORTED && f.sessionId() != null)
                .forEach(f -> run(f.sessionId(), ContextChange.IMPORT));
    }

    /**
     * Runs the hook through a writer the caller holds (a turn, a manual compaction, a PATCH); durable events go to
     * {@code events}, whose sink must be that writer's journal.
     */
    public void apply(SessionWriter writer, EventEmitter events, ContextChange reason) {
        if (reason.dropsCachedCompaction()) {
            context.invalidate(writer.current().id());
        }
        Session now = writer.current();
        String title = reason.regeneratesTitle() ? Titles.heuristic(now.messages()).orElse(null) : now.title();
        // an import's updated_at is the rollout's last activity (§10.4): the persist rule compares rollout times
        Instant at = reason == ContextChange.IMPORT ? now.updatedAt() : Instant.now();
        if (!Objects.equals(title, now.title()) || now.bump(at).isAfter(now.updatedAt())) {
            writer.updateMeta(title, now.metadata(), now.usage(), at);
        }
        Session after = writer.current();
        events.emit(new SessionEvent.ContextChanged(reason.wireName(), after.title(),
                Timestamps.format(after.updatedAt())));
    }
}
