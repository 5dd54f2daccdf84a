package dev.tether.provider;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool as advertised to a model: name, description and the JSON Schema of its arguments object. */
public record ToolDefinition(String name, String description, JsonNode parameters) {
}
