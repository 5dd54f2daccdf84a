package dev.tether.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed access to a call's arguments. The arguments were validated against the tool's schema, so types are right;
 * a JSON {@code null} counts as absent.
 */
public record ToolArguments(ObjectNode json) {

    /** A required string (validated present). */
    public String string(String name) {
        JsonNode n = json.get(name);
        return n == null || n.isNull() ? "" : n.asText();
    }

    public String string(String name, String defaultValue) {
        JsonNode n = json.get(name);
        return n == null || n.isNull() ? defaultValue : n.asText();
    }

    public long integer(String name, long defaultValue) {
        JsonNode n = json.get(name);
        return n == null || n.isNull() ? defaultValue : n.asLong();
    }

    public boolean bool(String name, boolean defaultValue) {
        JsonNode n = json.get(name);
        return n == null || n.isNull() ? defaultValue : n.asBoolean();
    }
}
