package dev.tether.agent;

import dev.tether.tool.ToolContext;
import dev.tether.tool.WorkspaceRoot;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Builds the {@link ToolContext} of one call. The executor supplies the per-call parts (call id, cancellation signal,
 * live output sink); the factory adds what it knows of the session.
 */
@FunctionalInterface
public interface ToolContextFactory {

    ToolContext create(String toolCallId, BooleanSupplier cancelled, ToolContext.OutputSink output);

    /**
     * Contexts of a session: its id, workspace (null when none), the workspace root the tools check it against at
     * every call, and the two metadata flags passed to tools.
     */
    static ToolContextFactory of(String sessionId, Path workspace, WorkspaceRoot root, boolean allowNetwork,
                                 boolean autoApplyEdits) {
        return (toolCallId, cancelled, output) -> new ToolContext(sessionId, toolCallId, workspace, root, allowNetwork,
                autoApplyEdits, cancelled, output);
    }
}
