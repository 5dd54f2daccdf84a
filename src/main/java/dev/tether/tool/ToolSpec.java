package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a built-in tool advertises to models: its name, its description, the JSON schema of its arguments, and whether
 * it only reads the workspace.
 */
record ToolSpec(String name, String description, ObjectNode schema, boolean readOnly) {
}
