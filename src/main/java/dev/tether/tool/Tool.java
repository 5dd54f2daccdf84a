package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool the model may call (spec §4.1). Tools are CDI beans; the registry advertises the enabled ones. Blocking is
 * allowed in {@link #execute}: the loop runs tools on worker threads, never on the event loop.
 */
public interface Tool {

    String name();

    String description();

    /** JSON Schema of the arguments object. */
    ObjectNode parameters();

    /** Read-only tools may run in parallel groups; writers run alone (§4.2). */
    boolean readOnly();

    /** Whether the output may be summarised by RLM (§7.2). */
    default OutputKind outputKind() {
        return OutputKind.UNKNOWN;
    }

    /**
     * Runs the call. Arguments were validated against {@link #parameters()}. Expected failures are returned as
     * {@code success=false}; an exception becomes {@code Error: <message>}.
     */
    ToolResult execute(ObjectNode arguments, ToolContext context) throws Exception;
}
