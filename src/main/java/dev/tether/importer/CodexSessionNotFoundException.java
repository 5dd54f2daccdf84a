package dev.tether.importer;

import dev.tether.session.TetherException;

/** No Codex rollout carries the requested session id. */
public final class CodexSessionNotFoundException extends TetherException {
    public CodexSessionNotFoundException(String id) {
        super(404, "codex-session-not-found", "Codex session not found: " + id);
    }
}
