package dev.tether.agent;

import dev.tether.context.ContextManager;
import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.session.Session;
import dev.tether.session.Timestamps;
import dev.tether.session.Titles;
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

    private final ContextManager context;

    public ContextChangeHook(ContextManager context) {
        this.context = context;
    }

    /**
     * Runs the hook through a writer the caller holds (a turn, a manual compaction, a PATCH, an import); durable
     * events go to {@code events}, whose sink must be that writer's journal.
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
