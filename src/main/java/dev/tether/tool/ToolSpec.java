package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a built-in tool advertises to models: its name, its description, the JSON schema of its arguments, and whether
 * it only reads the workspace.
 */
public record ToolSpec(String name, String description, ObjectNode schema, boolean readOnly) {

    /** A tool that only reads. */
    public static ToolSpec reading(String name, String description, ObjectNode schema) {
        return new ToolSpec(name, description, schema, true);
    }

    /** A tool that changes the workspace (or runs commands). */
    public static ToolSpec changing(String name, String description, ObjectNode schema) {
        return new ToolSpec(name, description, schema, false);
    }
}
