package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the JSON Schema of a tool's arguments object: typed properties with descriptions, bounds and defaults. Used
 * for every tool a model is offered: the workspace tools and RLM's own tools ({@code dev.tether.context.rlm}).
 */
public final class SchemaBuilder {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectNode properties = F.objectNode();
    private final ArrayNode required = F.arrayNode();

    public static SchemaBuilder object() {
        return new SchemaBuilder();
    }

    public SchemaBuilder string(String name, boolean isRequired, String description) {
        return add(name, isRequired, prop("string", description));
    }

    public SchemaBuilder string(String name, String defaultValue, String description) {
        ObjectNode p = prop("string", description);
        p.put("default", defaultValue);
        return add(name, false, p);
    }

    public SchemaBuilder integer(String name, boolean isRequired, String description) {
        return add(name, isRequired, prop("integer", description));
    }

    public SchemaBuilder integer(String name, long defaultValue, long minimum, long maximum, String description) {
        ObjectNode p = prop("integer", description);
        p.put("default", defaultValue);
        p.put("minimum", minimum);
        p.put("maximum", maximum);
        return add(name, false, p);
    }

    public SchemaBuilder integer(String name, long defaultValue, long minimum, String description) {
        ObjectNode p = prop("integer", description);
        p.put("default", defaultValue);
        p.put("minimum", minimum);
        return add(name, false, p);
    }

    public SchemaBuilder bool(String name, boolean defaultValue, String description) {
        ObjectNode p = prop("boolean", description);
        p.put("default", defaultValue);
        return add(name, false, p);
    }

    public ObjectNode build() {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        schema.set("properties", properties.deepCopy());
        schema.set("required", required.deepCopy());
        return schema;
    }

    private static ObjectNode prop(String type, String description) {
        ObjectNode p = F.objectNode();
        p.put("type", type);
        p.put("description", description);
        return p;
    }

    private SchemaBuilder add(String name, boolean isRequired, ObjectNode p) {
        properties.set(name, p);
        if (isRequired) {
            required.add(name);
        }
        return this;
    }
}
