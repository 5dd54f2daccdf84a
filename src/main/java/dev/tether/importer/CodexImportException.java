package dev.tether.importer;

import dev.tether.session.TetherException;

/** A rollout exists but cannot be imported (no usable session id, or the file cannot be read). */
public final class CodexImportException extends TetherException {
    public CodexImportException(String message) {
        super(422, "codex-import-failed", message);
    }
}
