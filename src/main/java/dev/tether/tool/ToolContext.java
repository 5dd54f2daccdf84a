package dev.tether.tool;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * What a call may know of its session (spec §4.1). {@code workspace} is null when the session has no directory;
 * {@code workspaceRoot} is the root it must lie inside, checked at every call (§4.5; null: file tools refuse to run).
 * {@code cancelled} turns true when the turn is aborted; the running thread is interrupted as well.
 */
public record ToolContext(String sessionId, String toolCallId, Path workspace, WorkspaceRoot workspaceRoot,
                          boolean allowNetwork, boolean autoApplyEdits, BooleanSupplier cancelled,
                          OutputSink output) {

    /** Receives live output chunks of streaming tools ({@code stream} is {@code stdout} or {@code stderr}). */
    @FunctionalInterface
    public interface OutputSink {
        void chunk(String stream, String text);

        OutputSink NONE = (stream, text) -> {
        };
    }

    public boolean isCancelled() {
        return cancelled.getAsBoolean() || Thread.currentThread().isInterrupted();
    }
}
