package dev.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionJsonTest {

    /** What the store reads and writes with: the §2.1 format. */
    private final ObjectMapper mapper = Json.internal(Json.mapper());

    @Test
    void specExampleRoundTripsExactly() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/spec-example-session.json")) {
            expected = mapper.readTree(in);
        }
        Session session = mapper.treeToValue(expected, Session.class);
        JsonNode written = mapper.readTree(mapper.writeValueAsString(session));
        assertEquals(expected, written);
        assertEquals(fieldNames(expected), fieldNames(written), "key order of §2.1");
        assertEquals(fieldNames(expected.get("metadata")), fieldNames(written.get("metadata")));
        assertEquals(4, session.messages().size());
        assertTrue(session.messages().get(1).content().get(2) instanceof ContentPart.ToolCall call
                && call.arguments().startsWith("{\"path\""));
    }

    @Test
    void everyPartTypeRoundTrips() throws Exception {
        List<ContentPart> parts = List.of(new ContentPart.Text("hi"),
                new ContentPart.Image("data:image/png;base64,AA==", "image/png"),
                new ContentPart.File("src/a.txt", null), new ContentPart.ToolCall("c1", "read", "{\"path\":\"a\"}"),
                new ContentPart.ToolResult("c1", "ok"), new ContentPart.Thinking("hmm", "sig"));
        for (ContentPart part : parts) {
            String json = mapper.writeValueAsString(part);
            assertEquals(part, mapper.readValue(json, ContentPart.class), json);
        }
        assertEquals("{\"type\":\"tool_call\",\"id\":\"c1\",\"name\":\"read\",\"arguments\":\"{\\\"path\\\":\\\"a\\\"}\"}",
                mapper.writeValueAsString(parts.get(3)));
        assertEquals("{\"type\":\"file\",\"path\":\"src/a.txt\",\"mime_type\":null}", mapper.writeValueAsString(parts.get(2)));
    }

    @Test
    void newSessionHasSpecDefaults() throws Exception {
        Session s = Session.create(null, null, null, Instant.parse("2026-11-02T10:15:30.125678Z"));
        JsonNode json = mapper.readTree(mapper.writeValueAsString(s));
        assertEquals(List.of("id", "title", "created_at", "updated_at", "metadata", "agent", "messages", "tool_uses", "usage"),
                fieldNames(json));
        assertEquals("2026-11-02T10:15:30.125Z", json.get("created_at").asText());
        assertEquals(mapper.readTree("{\"directory\":null,\"model\":null,\"auto_apply_edits\":false,\"allow_network\":false,"
                + "\"rlm\":{\"mode\":\"auto\",\"threshold\":0.35,\"max_iterations\":15,\"max_subcalls\":50,\"root_model\":null,"
                + "\"subcall_model\":null},\"context_policy\":{\"policy\":\"auto\",\"budget_tokens\":0}}"), json.get("metadata"));
        assertEquals(mapper.readTree("{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0,"
                + "\"cache_read_tokens\":null,\"cache_write_tokens\":null}"), json.get("usage"));
        assertEquals(0, json.get("tool_uses").size());
        assertEquals("build", json.get("agent").asText());
    }

    @Test
    void absentFieldsTakeDefaultsAndUnknownFieldsAreIgnored() throws Exception {
        Session s = mapper.readValue("{\"id\":\"a_B-9\",\"created_at\":\"2026-11-02T11:15:30+01:00\",\"surprise\":1,"
                + "\"metadata\":{\"rlm\":{\"mode\":\"off\"}}}", Session.class);
        assertNull(s.title());
        assertEquals(Instant.parse("2026-11-02T10:15:30Z"), s.createdAt());
        assertEquals(s.createdAt(), s.updatedAt());
        assertEquals(RlmConfig.Mode.OFF, s.metadata().rlm().mode());
        assertEquals(15, s.metadata().rlm().maxIterations());
        assertEquals(Usage.ZERO, s.usage());
    }

    @Test
    void maxStepsIsWrittenOnlyWhenSetAndTheLabelIsNeverStored() throws Exception {
        Session plain = Session.create("Fix it", null, null, Instant.parse("2026-11-02T10:00:00Z"));
        JsonNode json = mapper.readTree(mapper.writeValueAsString(plain));
        assertFalse(json.get("metadata").has("max_steps"), "sessions without a limit keep the old stored form");
        assertFalse(json.has("label"), "the label is derived, not stored");
        assertEquals("Fix it", plain.label());

        Session limited = plain.withMetadata(plain.metadata().withMaxSteps(7), plain.createdAt());
        JsonNode written = mapper.readTree(mapper.writeValueAsString(limited));
        assertEquals(7, written.get("metadata").get("max_steps").asInt());
        assertEquals("max_steps", fieldNames(written.get("metadata")).get(6), "after context_policy");
        assertEquals(limited, mapper.treeToValue(written, Session.class));
        assertNull(mapper.readValue("{\"id\":\"a\",\"created_at\":\"2026-11-02T10:00:00Z\",\"metadata\":{}}",
                Session.class).metadata().maxSteps());
    }

    @Test
    void updatedAtNeverDecreases() {
        Session s = Session.create(null, null, null, Instant.parse("2026-11-02T10:00:00Z"));
        Session later = s.touched(Instant.parse("2026-11-02T11:00:00Z"));
        assertEquals(Instant.parse("2026-11-02T11:00:00Z"), later.touched(Instant.parse("2026-11-02T09:00:00Z")).updatedAt());
    }

    @Test
    void usageAddsNullCacheCountsAsAbsent() {
        Usage a = Usage.of(10, 5, null, null);
        Usage b = Usage.of(3, 1, 2L, null);
        Usage sum = a.plus(b);
        assertEquals(13, sum.promptTokens());
        assertEquals(19, sum.totalTokens());
        assertEquals(2L, sum.cacheReadTokens());
        assertNull(sum.cacheWriteTokens());
        assertEquals(Long.MAX_VALUE, Usage.of(Long.MAX_VALUE, 5, null, null).totalTokens());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
