package dev.tether.agent;

import dev.tether.context.ContextManager;
import dev.tether.event.SessionBuses;
import dev.tether.provider.ModelResolver;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import dev.tether.session.store.ListQuery;
import dev.tether.session.store.SessionPage;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionTail;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * Session administration (spec §9): create, list, read and delete sessions. Changes of a session's fields are
 * {@link SessionEditor}'s; prompts are {@link AgentService}'s.
 */
@Singleton
public record Sessions(SessionStore store, SessionFactory factory, ModelResolver models, CodexImports codex,
                    TurnRegistry turns, SessionBuses buses, ContextManager context) {

    /**
     * Creates and stores a session ({@link SessionFactory} checks the request); a given model must resolve (§9) and is
     * stored in its canonical provider/model form.
     */
    public Session create(CreateSessionRequest request) {
        Session session = factory.newSession(request, Instant.now());
        Session created = session;
        if (session.metadata().model() != null) {
            String selector = models.resolve(session.metadata().model()).selector();
            created = session.withMetadata(session.metadata().withModel(selector), session.createdAt());
        }
        store.create(created);
        return created;
    }

    /** A page of summaries, newest first; {@code withCodex} merges in the Codex rollouts found (not imported). */
    public SessionPage list(ListQuery query, boolean withCodex) {
        if (!withCodex) {
            return store.list(query);
        }
        SessionPage.validate(query);
        return SessionPage.of(codex.summariesWithCodex(query.directory().orElse(null)), query);
    }

    /**
     * {@code load_or_import} (§10.5): the Codex rollout with this id is imported when no copy is stored, or replaces
     * the stored copy when newer.
     */
    public void refreshFromCodex(String sessionId) {
        codex.refresh(sessionId);
    }

    /** The whole session. */
    public Session read(String sessionId) {
        return store.load(sessionId);
    }

    /** The session with only its last {@code messages} messages (and their tool uses). */
    public SessionTail readTail(String sessionId, int messages) {
        return store.loadTail(sessionId, messages);
    }

    /**
     * Deletes a session and everything held for it (journal, events, bus, compaction cache); refused with 409 while a
     * turn runs on it.
     */
    public void delete(String sessionId) {
        SessionIds.require(sessionId);
        if (turns.isRunning(sessionId)) {
            throw new SessionBusyException("A turn is running on session " + sessionId + "; abort it first");
        }
        store.delete(sessionId);
        buses.close(sessionId);
        context.forget(sessionId);
    }
}
