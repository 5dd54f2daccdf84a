package dev.tether.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.config.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a tool call before it runs (spec §3.6): the tool must be enabled, the arguments must be a JSON object and
 * satisfy the tool's parameter schema (required properties, types including {@code integer}, {@code enum},
 * {@code minimum}/{@code maximum}, {@code additionalProperties: false}). Empty or blank arguments mean {@code {}}; a
 * JSON {@code null} property counts as absent.
 */
@ApplicationScoped
public class ArgumentValidator {

    private final ToolRegistry registry;
    /** The service's mapper: arguments are one JSON value, trailing content fails ({@link Json}). */
    private final ObjectMapper json;

    @Inject
    public ArgumentValidator(ToolRegistry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    /** Built without CDI: the service's mapper ({@link Json#mapper()}). */
    public ArgumentValidator(ToolRegistry registry) {
        this(registry, Json.mapper());
    }

    /** Outcome of a validation. */
    public sealed interface Result permits Valid, Invalid {
    }

    /** The call may run: its tool and parsed arguments. */
    public record Valid(Tool tool, ObjectNode arguments) implements Result {
    }

    /** The call fails without running; {@code message} is the stored failing result body. */
    public record Invalid(String message) implements Result {
    }

    /** Validates a call of {@code name} with the raw {@code arguments} string. */
    public Result validate(String name, String arguments) {
        Tool tool = registry.find(name).orElse(null);
        if (tool == null) {
            return new Invalid("Unknown tool: " + name + ". Available tools: " + String.join(", ", registry.names()));
        }
        String text = arguments == null || arguments.isBlank() ? "{}" : arguments;
        JsonNode parsed;
        try {
            parsed = json.readTree(text);
        } catch (JsonProcessingException e) {
            return new Invalid(truncatedHint(name, e.getOriginalMessage()));
        }
        if (parsed == null || !parsed.isObject()) {
            String kind = parsed == null ? "nothing" : describe(parsed);
            return new Invalid(truncatedHint(name, "expected a JSON object but got " + kind));
        }
        ObjectNode args = (ObjectNode) parsed;
        List<String> problems = new ArrayList<>();
        checkObject(tool.parameters(), args, problems);
        if (!problems.isEmpty()) {
            return new Invalid("Invalid arguments for " + name + ": " + String.join("; ", problems));
        }
        return new Valid(tool, args);
    }

    private static String truncatedHint(String name, String parserMessage) {
        return "Invalid arguments for " + name + ": " + parserMessage
                + ". The arguments may have been cut off by the output limit; retry with smaller arguments.";
    }

    private static void checkObject(JsonNode schema, ObjectNode args, List<String> problems) {
        JsonNode properties = schema.path("properties");
        for (JsonNode req : schema.path("required")) {
            JsonNode value = args.get(req.asText());
            if (value == null || value.isNull()) {
                problems.add("missing required property '" + req.asText() + "'");
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = args.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode propertySchema = properties.get(field.getKey());
            if (propertySchema == null) {
                if (schema.path("additionalProperties").isBoolean()
                        && !schema.path("additionalProperties").asBoolean()) {
                    problems.add("unknown property '" + field.getKey() + "'");
                }
                continue;
            }
            if (!field.getValue().isNull()) {
                checkValue("property '" + field.getKey() + "'", propertySchema, field.getValue(), problems);
            }
        }
    }

    private static void checkValue(String what, JsonNode schema, JsonNode value, List<String> problems) {
        String type = schema.path("type").asText("");
        if (!type.isEmpty() && !hasType(value, type)) {
            problems.add(what + " must be " + article(type) + " but got " + describe(value));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.equals(value);
            }
            if (!found) {
                problems.add(what + " must be one of " + allowed);
                return;
            }
        }
        if (value.isNumber()) {
            JsonNode min = schema.get("minimum");
            JsonNode max = schema.get("maximum");
            if (min != null && value.decimalValue().compareTo(min.decimalValue()) < 0) {
                problems.add(what + " must be at least " + min.asText() + " but was " + value.asText());
            }
            if (max != null && value.decimalValue().compareTo(max.decimalValue()) > 0) {
                problems.add(what + " must be at most " + max.asText() + " but was " + value.asText());
            }
        }
        if (value.isObject() && schema.has("properties")) {
            checkObject(schema, (ObjectNode) value, problems);
        }
        if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                checkValue(what + "[" + i++ + "]", schema.get("items"), item, problems);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "object", "array" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> article("string");
            case NUMBER -> article(value.isIntegralNumber() ? "integer" : "number");
            case BOOLEAN -> article("boolean");
            case ARRAY -> article("array");
            case OBJECT -> article("object");
            default -> "null";
        };
    }
}
