package dev.tether.tool;

import dev.tether.session.TetherException;

/**
 * A session's directory does not lie inside the workspace root (spec §4.5), e.g. an imported Codex session whose
 * {@code cwd} is elsewhere, or a directory since replaced by a symlink leading out. Nothing runs on it until its
 * directory is changed to one inside the root.
 */
public final class WorkspaceEscapeException extends TetherException {
    public WorkspaceEscapeException(String directory) {
        super(403, "workspace-escape", "The session directory lies outside the workspace root: " + directory
                + "; change the session's directory to one inside the root to run prompts on it");
    }
}
