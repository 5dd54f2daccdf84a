package dev.tether.session.store;

import dev.tether.session.Session;

/** A session cut to its last messages, with how many messages and tool uses were dropped. */
public record SessionTail(Session session, int droppedMessages, int droppedToolUses) {

    /** {@code s} with only its last {@code n} messages and last {@code n} tool uses. */
    static SessionTail of(Session s, int n) {
        int dropM = Math.max(0, s.messages().size() - n);
        int dropT = Math.max(0, s.toolUses().size() - n);
        Session cut = new Session(s.id(), s.title(), s.createdAt(), s.updatedAt(), s.metadata(), s.agent(),
                s.messages().subList(dropM, s.messages().size()), s.toolUses().subList(dropT, s.toolUses().size()),
                s.usage());
        return new SessionTail(cut, dropM, dropT);
    }
}
