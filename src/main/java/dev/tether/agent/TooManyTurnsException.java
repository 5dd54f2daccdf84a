package dev.tether.agent;

import dev.tether.session.TetherException;

/**
 * The service already runs (or queues) {@code tether.agent.max-concurrent-turns} prompts: this one is refused before
 * anything is stored, so the client can simply retry later (503, {@code too-many-turns}).
 */
public final class TooManyTurnsException extends TetherException {
    public TooManyTurnsException(int limit) {
        super(503, "too-many-turns", "The service already runs " + limit + " turns (tether.agent.max-concurrent-turns); "
                + "retry later");
    }
}
