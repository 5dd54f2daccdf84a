package dev.tether.session.store;

import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionResult;
import dev.tether.session.SessionSummary;
import dev.tether.session.Timestamps;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A session being assembled (snapshot + journal replay) or written: mutable so that an append costs O(record) instead
 * of copying the transcript. In summary mode ({@code keepContent == false}) messages and tool uses are only counted.
 */
final class SessionState {

    final String id;
    final Instant createdAt;
    final boolean keepContent;
    String title;
    Instant updatedAt;
    SessionMetadata metadata;
    String agent;
    Usage usage;
    final ArrayList<Message> messages = new ArrayList<>();
    final ArrayList<ToolUse> toolUses = new ArrayList<>();
    int messageCount;
    /** Turns of prompts with an Idempotency-Key, by key; kept in summary mode too (they are small). */
    final LinkedHashMap<String, KeyedTurn> keyedTurns = new LinkedHashMap<>();

    SessionState(String id, String title, Instant createdAt, Instant updatedAt, SessionMetadata metadata, String agent,
                 Usage usage, boolean keepContent) {
        Session defaults = new Session(id, title, createdAt, updatedAt, metadata, agent, List.of(), List.of(), usage);
        this.id = defaults.id();
        this.title = defaults.title();
        this.createdAt = defaults.createdAt();
        this.updatedAt = defaults.updatedAt();
        this.metadata = defaults.metadata();
        this.agent = defaults.agent();
        this.usage = defaults.usage();
        this.keepContent = keepContent;
    }

    static SessionState of(Session s) {
        SessionState state = new SessionState(s.id(), s.title(), s.createdAt(), s.updatedAt(), s.metadata(), s.agent(),
                s.usage(), true);
        state.messages.addAll(s.messages());
        state.toolUses.addAll(s.toolUses());
        state.messageCount = s.messages().size();
        return state;
    }

    void addMessage(Message message, Instant at) {
        if (keepContent) {
            messages.add(message);
        }
        messageCount++;
        bump(at);
    }

    void addToolUse(ToolUse toolUse) {
        if (keepContent) {
            toolUses.add(toolUse);
        }
    }

    void setMeta(String newTitle, SessionMetadata newMetadata, Usage newUsage, Instant at) {
        title = newTitle;
        metadata = newMetadata == null ? SessionMetadata.DEFAULT : newMetadata;
        usage = newUsage == null ? Usage.ZERO : newUsage;
        if (at != null) {
            bump(at);
        }
    }

    /** Records a keyed turn; a key used again after it expired starts over. */
    void keyTurn(KeyedTurn turn) {
        keyedTurns.remove(turn.key());
        keyedTurns.put(turn.key(), turn);
    }

    /** Records the result of a keyed turn; unknown keys (expired and dropped meanwhile) are ignored. */
    void endKeyedTurn(String key, SessionResult result, long seq) {
        keyedTurns.computeIfPresent(key, (k, t) -> t.ended(result, seq));
    }

    /** Forgets the keyed turns expired at {@code now}; returns the others, oldest first (what a snapshot keeps). */
    List<KeyedTurn> pruneKeyedTurns(Instant now) {
        keyedTurns.values().removeIf(t -> t.expiredAt(now));
        return List.copyOf(keyedTurns.values());
    }

    /** {@code updated_at} never decreases. */
    void bump(Instant at) {
        Instant t = Timestamps.truncate(at);
        if (t.isAfter(updatedAt)) {
            updatedAt = t;
        }
    }

    Session toSession() {
        if (!keepContent) {
            throw new IllegalStateException("summary-only state has no transcript");
        }
        return new Session(id, title, createdAt, updatedAt, metadata, agent, messages, toolUses, usage);
    }

    SessionSummary summary() {
        return new SessionSummary(id, title, createdAt, updatedAt, messageCount, agent, metadata.directory());
    }
}
