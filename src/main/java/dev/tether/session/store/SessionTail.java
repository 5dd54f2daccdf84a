package dev.tether.session.store;

import dev.tether.session.Session;

/** A session cut to its last messages, with how many messages and tool uses were dropped. */
public record SessionTail(Session session, int droppedMessages, int droppedToolUses) {
}
