package dev.tether.tool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a tool returns: its output, whether it succeeded, and metadata (a JSON object, possibly empty). */
public record ToolResult(String output, boolean success, ObjectNode metadata) {

    public ToolResult {
        output = output == null ? "" : output;
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata;
    }

    public static ToolResult success(String output) {
        return new ToolResult(output, true, null);
    }

    public static ToolResult success(String output, ObjectNode metadata) {
        return new ToolResult(output, true, metadata);
    }

    public static ToolResult failure(String output) {
        return new ToolResult(output, false, null);
    }

    public static ToolResult failure(String output, ObjectNode metadata) {
        return new ToolResult(output, false, metadata);
    }
}
