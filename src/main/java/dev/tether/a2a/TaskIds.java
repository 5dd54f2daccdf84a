package dev.tether.a2a;

import dev.tether.session.SessionIds;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Task ids: {@code <session id>:<uuid>}. The session (the task's context) is part of the id, so {@code tasks/get}
 * finds the task's journal from the id alone, also after a restart; the whole id is the turn's
 * {@code Idempotency-Key} (at most 128 + 1 + 36 printable ASCII characters, within the key's 255).
 */
final class TaskIds {

    private static final char SEPARATOR = ':';
    private static final Pattern TURN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private TaskIds() {
    }

    /** A task of one turn in the session {@code sessionId}. */
    record TaskId(String sessionId, String value) {
    }

    static TaskId newTask(String sessionId) {
        return new TaskId(sessionId, sessionId + SEPARATOR + UUID.randomUUID());
    }

    /** The task an id names, or empty when it is not one this service made (so no such task exists). */
    static Optional<TaskId> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int at = id.lastIndexOf(SEPARATOR);
        if (at <= 0 || !SessionIds.isValid(id.substring(0, at)) || !TURN.matcher(id.substring(at + 1)).matches()) {
            return Optional.empty();
        }
        return Optional.of(new TaskId(id.substring(0, at), id));
    }

    /** As {@link #parse}, or the A2A error {@code -32001}. */
    static TaskId require(String id) {
        return parse(id).orElseThrow(() -> A2aException.taskNotFound(id));
    }
}
