package dev.tether.agent;

import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import dev.tether.session.store.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the turns of prompts sent with an {@code Idempotency-Key} (spec §3.1.1), as the session's journal
 * recorded them, for protocols that expose turns as addressable tasks (A2A), plus creating the session such a
 * protocol names when it does not exist yet. Everything here blocks on the store: call it from worker threads.
 */
@ApplicationScoped
public class RecordedTurns {

    private final SessionStore store;
    private final Clock clock = Clock.systemUTC();

    public RecordedTurns(SessionStore store) {
        this.store = store;
    }

    /** A keyed turn and the transcript messages it added so far (its user message first). */
    public record RecordedTurn(KeyedTurn turn, List<Message> messages) {
    }

    /** Whether a session with this (valid) id is stored. */
    public boolean exists(String sessionId) {
        return store.exists(SessionIds.require(sessionId));
    }

    /** Stores {@code session} unless one with its id exists already (also when another request just created it). */
    public void createIfAbsent(Session session) {
        if (store.exists(session.id())) {
            return;
        }
        try {
            store.create(session);
        } catch (SessionBusyException raced) {
            // created meanwhile by a concurrent request naming the same id: that one is as good
        }
    }

    /**
     * The turn recorded under {@code key} in the session, with its messages: from its user message up to the next
     * user message (the next turn's) or the end of the transcript. Empty when the session or the key is unknown or
     * the key expired.
     */
    public Optional<RecordedTurn> find(String sessionId, String key) {
        if (!SessionIds.isValid(sessionId) || !store.exists(sessionId)) {
            return Optional.empty();
        }
        Optional<KeyedTurn> keyed = store.keyedTurn(sessionId, key, clock.instant());
        if (keyed.isEmpty()) {
            return Optional.empty();
        }
        Session session = store.load(sessionId);
        List<Message> all = session.messages();
        int from = Math.min(keyed.get().firstMessage(), all.size());
        int to = from + 1;
        while (to < all.size() && all.get(to).role() != Role.USER) {
            to++;
        }
        return Optional.of(new RecordedTurn(keyed.get(), List.copyOf(all.subList(from, Math.min(to, all.size())))));
    }
}
