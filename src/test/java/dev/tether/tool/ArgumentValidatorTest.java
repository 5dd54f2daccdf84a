package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArgumentValidatorTest {

    private final ArgumentValidator validator = new ArgumentValidator(ToolRegistry.builtins(false));

    private String invalid(String name, String arguments) {
        return assertInstanceOf(ArgumentValidator.Invalid.class, validator.validate(name, arguments)).message();
    }

    @Test
    void scenario9_truncatedJsonNamesTheToolAndHintsAtTheOutputLimit() {
        String message = invalid("read", "{\"path\": \"a.t");
        assertTrue(message.startsWith("Invalid arguments for read: "), message);
        assertTrue(message.endsWith(". The arguments may have been cut off by the output limit; retry with smaller "
                + "arguments."), message);
        assertTrue(!message.contains("[Source:"), "parser location leaked: " + message);
    }

    @Test
    void nonObjectArgumentsAreRejectedWithTheSameHint() {
        assertEquals("Invalid arguments for read: expected a JSON object but got an array. The arguments may have "
                + "been cut off by the output limit; retry with smaller arguments.", invalid("read", "[1]"));
        assertTrue(invalid("read", "\"a.txt\"").contains("expected a JSON object but got a string"));
        assertTrue(invalid("read", "{} trailing").startsWith("Invalid arguments for read: "));
    }

    @Test
    void scenario10_unknownAndDisabledToolsListTheEnabledOnes() {
        assertEquals("Unknown tool: deploy. Available tools: edit, glob, grep, list, read, write",
                invalid("deploy", "{}"));
        assertEquals("Unknown tool: bash. Available tools: edit, glob, grep, list, read, write",
                invalid("bash", "{\"command\":\"ls\"}"));
    }

    @Test
    void schemaViolations() {
        assertEquals("Invalid arguments for read: missing required property 'path'", invalid("read", "{}"));
        assertEquals("Invalid arguments for read: missing required property 'path'", invalid("read", "{\"path\":null}"));
        assertEquals("Invalid arguments for read: property 'path' must be a string but got an integer",
                invalid("read", "{\"path\":3}"));
        assertEquals("Invalid arguments for read: property 'limit' must be an integer but got a number",
                invalid("read", "{\"path\":\"a\",\"limit\":1.5}"));
        assertEquals("Invalid arguments for read: property 'limit' must be an integer but got a string",
                invalid("read", "{\"path\":\"a\",\"limit\":\"5\"}"));
        assertEquals("Invalid arguments for read: property 'limit' must be at most 2000 but was 5000",
                invalid("read", "{\"path\":\"a\",\"limit\":5000}"));
        assertEquals("Invalid arguments for read: property 'offset' must be at least 1 but was 0",
                invalid("read", "{\"path\":\"a\",\"offset\":0}"));
        assertEquals("Invalid arguments for edit: missing required property 'old_string'; "
                        + "missing required property 'new_string'; property 'replace_all' must be a boolean but got a string",
                invalid("edit", "{\"path\":\"a\",\"replace_all\":\"yes\"}"));
    }

    @Test
    void validCallsParseAndBlankArgumentsMeanAnEmptyObject() {
        ArgumentValidator.Valid valid = assertInstanceOf(ArgumentValidator.Valid.class,
                validator.validate("read", "{\"path\":\"a.txt\",\"limit\":2.0,\"extra\":1}"));
        assertEquals("read", valid.tool().name());
        assertEquals("a.txt", valid.arguments().get("path").asText());
        assertInstanceOf(ArgumentValidator.Valid.class, validator.validate("list", ""));
        assertInstanceOf(ArgumentValidator.Valid.class, validator.validate("list", "  \n"));
    }

    @Test
    void enumsAreChecked() {
        Tool enumTool = new Tool() {
            public String name() { return "mode"; }
            public String description() { return "d"; }
            public com.fasterxml.jackson.databind.node.ObjectNode parameters() {
                try {
                    return ToolTestSupport.json("{\"type\":\"object\",\"properties\":{\"m\":{\"type\":\"string\","
                            + "\"enum\":[\"a\",\"b\"]}},\"required\":[\"m\"],\"additionalProperties\":false}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            public boolean readOnly() { return true; }
            public ToolResult execute(com.fasterxml.jackson.databind.node.ObjectNode a, ToolContext c) {
                return ToolResult.success("");
            }
        };
        ArgumentValidator v = new ArgumentValidator(new ToolRegistry(java.util.List.of(enumTool), false));
        assertEquals("Invalid arguments for mode: property 'm' must be one of [\"a\",\"b\"]",
                assertInstanceOf(ArgumentValidator.Invalid.class, v.validate("mode", "{\"m\":\"c\"}")).message());
        assertEquals("Invalid arguments for mode: unknown property 'x'",
                assertInstanceOf(ArgumentValidator.Invalid.class, v.validate("mode", "{\"m\":\"a\",\"x\":1}")).message());
        assertInstanceOf(ArgumentValidator.Valid.class, v.validate("mode", "{\"m\":\"b\"}"));
    }
}
