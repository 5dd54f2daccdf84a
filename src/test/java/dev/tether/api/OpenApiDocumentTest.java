package dev.tether.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.session.ContentPart;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.Usage;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Workspaces;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.inject.Inject;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is what a client generator needs: valid OpenAPI 3.1 (parsed and validated by
 * swagger-parser), every operation with an id, a description and a capability tag, every error as
 * {@code application/problem+json} of the {@code Problem} schema, and the event streams typed as the union of every
 * {@link SessionEvent} type, discriminated by {@code type}, whose member schemas match the JSON the service writes.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class) // shares the application of the loop tests
class OpenApiDocumentTest {

    private static final Set<String> CAPABILITY_TAGS = Set.of("Sessions", "Prompts", "Events", "Context", "Import");
    private static final String SCHEMAS = "#/components/schemas/";

    @Inject
    ObjectMapper mapper;

    private String json;
    private JsonNode doc;

    @BeforeEach
    void fetch() throws Exception {
        json = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        doc = mapper.readTree(json);
    }

    @Test
    void isValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertNotNull(result.getOpenAPI(), String.valueOf(result.getMessages()));
        assertEquals(List.of(), result.getMessages(), "parser and validator messages");
        assertEquals(SpecVersion.V31, result.getOpenAPI().getSpecVersion());
        assertEquals("3.1.0", doc.get("openapi").asText());
        assertEquals(11, result.getOpenAPI().getPaths().values().stream()
                .mapToInt(p -> p.readOperations().size()).sum(), "the operations of the API");
        // the parser does not insist on it: every reference names an existing component schema
        List<String> refs = doc.findValuesAsText("$ref");
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith(SCHEMAS), ref);
            schema(ref.substring(SCHEMAS.length()));
        }
    }

    @Test
    void everyOperationHasAnIdADescriptionAndACapabilityTag() {
        Set<String> declaredTags = new HashSet<>();
        for (JsonNode tag : doc.path("tags")) {
            assertFalse(tag.path("description").asText().isBlank(), tag.toString());
            declaredTags.add(tag.get("name").asText());
        }
        assertEquals(CAPABILITY_TAGS, declaredTags);
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> op : operations().entrySet()) {
            JsonNode o = op.getValue();
            String id = o.path("operationId").asText();
            assertFalse(id.isBlank(), op.getKey() + " has no operationId");
            assertTrue(ids.add(id), "duplicate operationId " + id);
            assertFalse(o.path("summary").asText().isBlank(), op.getKey() + " has no summary");
            assertTrue(o.path("description").asText().length() > 40, op.getKey() + " has no description");
            assertEquals(1, o.path("tags").size(), op.getKey() + " tags " + o.path("tags"));
            assertTrue(CAPABILITY_TAGS.contains(o.path("tags").get(0).asText()), op.getKey() + " " + o.path("tags"));
            assertTrue(hasSuccess(o.path("responses")), op.getKey() + " documents no success response");
        }
        assertEquals(Set.of("createSession", "listSessions", "getSession", "patchSession", "deleteSession", "prompt",
                "abortTurn", "followEvents", "getContext", "compactSession", "importCodex"), ids);
    }

    @Test
    void everyErrorIsAProblemJsonResponse() {
        JsonNode problem = schema("Problem");
        assertEquals(Set.of("type", "title", "status", "detail", "instance"), names(problem.path("properties")));
        for (Map.Entry<String, JsonNode> op : operations().entrySet()) {
            Set<String> errors = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = op.getValue().path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> response = it.next();
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                    errors.add(response.getKey());
                    JsonNode content = response.getValue().path("content");
                    assertEquals(Set.of(Problem.MEDIA_TYPE), names(content), op.getKey() + " " + response.getKey());
                    assertEquals(SCHEMAS + "Problem", content.path(Problem.MEDIA_TYPE).path("schema").path("$ref")
                            .asText(), op.getKey() + " " + response.getKey());
                    assertFalse(response.getValue().path("description").asText().isBlank());
                }
            }
            assertTrue(errors.containsAll(Set.of("400", "401", "500")), op.getKey() + " errors " + errors);
            if (op.getKey().contains("{id}")) {
                assertTrue(errors.contains("404"), op.getKey() + " errors " + errors);
            }
        }
        assertTrue(operation("post", "/api/sessions/{id}/prompt").path("responses").has("409"), "busy");
    }

    @Test
    void eventStreamsAreTheUnionOfEveryEventTypeDiscriminatedByType() {
        Map<String, Class<?>> eventTypes = subTypes(SessionEvent.class);
        assertEquals(Set.copyOf(eventRecords()), Set.copyOf(eventTypes.values()),
                "every sealed event type is a named subtype");
        List<String> streams = new ArrayList<>();
        for (Map.Entry<String, JsonNode> op : operations().entrySet()) {
            for (JsonNode response : op.getValue().path("responses")) {
                JsonNode stream = response.path("content").path("text/event-stream");
                if (!stream.isMissingNode()) {
                    streams.add(op.getKey());
                    assertEquals(SCHEMAS + "SessionEvent", stream.path("schema").path("$ref").asText(), op.getKey());
                }
            }
        }
        assertEquals(List.of("get /api/sessions/{id}/events", "post /api/sessions/{id}/prompt"), streams.stream()
                .sorted().toList());
        assertUnion("SessionEvent", eventTypes, sampleEvents());
    }

    @Test
    void messagePartsAreTheUnionOfEveryPartTypeDiscriminatedByType() {
        assertUnion("ContentPart", subTypes(ContentPart.class), List.of(new ContentPart.Text("t"),
                new ContentPart.Image("data:image/png;base64,AA==", "image/png"), new ContentPart.File("a.txt", "text/plain"),
                new ContentPart.ToolCall("c1", "read", "{}"), new ContentPart.ToolResult("c1", "ok"),
                new ContentPart.Thinking("hm", "sig")));
    }

    /** Bodies the service really answers have exactly the fields their schemas document (snake_case names). */
    @Test
    void responseBodiesHaveTheDocumentedFields() throws Exception {
        JsonNode session = mapper.readTree(given().contentType(ContentType.JSON)
                .body(Map.of("directory", Workspaces.withHello().toString())).post("/api/sessions").then()
                .statusCode(201).extract().asString());
        String id = session.get("id").asText();
        assertDocumented("createSession", "post", "/api/sessions", "201", session);
        assertDocumented("getSession", "get", "/api/sessions/{id}", "200",
                mapper.readTree(given().get("/api/sessions/" + id).then().statusCode(200).extract().asString()));
        assertDocumented("listSessions", "get", "/api/sessions", "200",
                mapper.readTree(given().get("/api/sessions?limit=1").then().statusCode(200).extract().asString()));
        assertDocumented("getContext", "get", "/api/sessions/{id}/context", "200", mapper.readTree(
                given().get("/api/sessions/" + id + "/context").then().statusCode(200).extract().asString()));
        assertDocumented("compactSession", "post", "/api/sessions/{id}/compact", "200", mapper.readTree(
                given().post("/api/sessions/" + id + "/compact?dry_run=true").then().statusCode(200).extract()
                        .asString()));
        assertDocumented("abortTurn", "post", "/api/sessions/{id}/abort", "200", mapper.readTree(
                given().post("/api/sessions/" + id + "/abort").then().statusCode(200).extract().asString()));
        JsonNode problem = mapper.readTree(given().get("/api/sessions/no-such-session").then().statusCode(404)
                .extract().asString());
        assertTrue(names(schema("Problem").path("properties")).containsAll(names(problem)), problem.toString());
    }

    private void assertDocumented(String operationId, String method, String path, String status, JsonNode body) {
        JsonNode op = operation(method, path);
        assertEquals(operationId, op.path("operationId").asText());
        String ref = op.path("responses").path(status).path("content").path("application/json").path("schema")
                .path("$ref").asText();
        assertTrue(ref.startsWith(SCHEMAS), operationId + " " + status + " has no JSON schema");
        Set<String> documented = names(schema(ref.substring(SCHEMAS.length())).path("properties"));
        assertEquals(documented, names(body), operationId + " answers the fields of " + ref);
    }

    /**
     * The union is a {@code oneOf} with a {@code type} discriminator mapping every subtype name to a member whose
     * {@code type} is that single name, and each member's properties are exactly the fields the service writes.
     */
    private void assertUnion(String name, Map<String, Class<?>> subTypes, List<?> samples) {
        JsonNode union = schema(name);
        assertEquals("type", union.path("discriminator").path("propertyName").asText());
        JsonNode mapping = union.path("discriminator").path("mapping");
        assertEquals(subTypes.keySet(), names(mapping));
        Set<String> oneOf = new HashSet<>();
        union.path("oneOf").forEach(ref -> oneOf.add(ref.path("$ref").asText()));
        Set<String> mapped = new HashSet<>();
        mapping.forEach(ref -> mapped.add(ref.asText()));
        assertEquals(mapped, oneOf);
        Map<String, Set<String>> written = new LinkedHashMap<>();
        for (Object sample : samples) {
            JsonNode node = mapper.valueToTree(sample);
            written.put(node.get("type").asText(), names(node));
        }
        assertEquals(subTypes.keySet(), written.keySet(), "a sample of every subtype");
        for (Map.Entry<String, Class<?>> subType : subTypes.entrySet()) {
            String ref = mapping.get(subType.getKey()).asText();
            JsonNode member = schema(ref.substring(SCHEMAS.length()));
            assertEquals(List.of(subType.getKey()), List.of(member.path("properties").path("type").path("enum")
                    .get(0).asText()), ref);
            assertEquals(1, member.path("properties").path("type").path("enum").size(), ref);
            assertTrue(member.path("required").toString().contains("\"type\""), ref);
            assertEquals(written.get(subType.getKey()), names(member.path("properties")),
                    ref + " documents the fields " + subType.getValue().getSimpleName() + " is written with");
        }
    }

    /** The event records, in declaration order: the leaves of the sealed hierarchy (durable ones under Durable). */
    private static List<Class<?>> eventRecords() {
        List<Class<?>> records = new ArrayList<>();
        for (Class<?> type : SessionEvent.class.getPermittedSubclasses()) {
            if (type.isRecord()) {
                records.add(type);
            } else {
                records.addAll(List.of(type.getPermittedSubclasses()));
            }
        }
        return records;
    }

    /** One instance of every event type with every field set, so that each is written. */
    private static List<SessionEvent> sampleEvents() {
        List<SessionEvent> samples = new ArrayList<>();
        for (Class<?> type : eventRecords()) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = sample(types[i]);
            }
            try {
                samples.add((SessionEvent) type.getDeclaredConstructor(types).newInstance(values));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return samples;
    }

    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type == long.class || type == Long.class) {
            return 1L;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == TokenSource.class) {
            return TokenSource.ROOT;
        }
        if (type == JsonNode.class) {
            return JsonNodeFactory.instance.objectNode().put("k", "v");
        }
        if (type == SessionResult.class) {
            return new SessionResult("a", "s", TerminalReason.COMPLETED, 1, Usage.ZERO, null);
        }
        throw new AssertionError("no sample for " + type);
    }

    private static Map<String, Class<?>> subTypes(Class<?> root) {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (JsonSubTypes.Type t : root.getAnnotation(JsonSubTypes.class).value()) {
            types.put(t.name(), t.value());
        }
        return types;
    }

    private static boolean hasSuccess(JsonNode responses) {
        for (Iterator<String> it = responses.fieldNames(); it.hasNext(); ) {
            if (it.next().startsWith("2")) {
                return true;
            }
        }
        return false;
    }

    /** {@code "<method> <path>"} → operation. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> ops = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> it = path.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                ops.put(op.getKey() + " " + path.getKey(), op.getValue());
            }
        }
        assertFalse(ops.isEmpty());
        return ops;
    }

    private JsonNode operation(String method, String path) {
        return doc.path("paths").path(path).path(method);
    }

    private JsonNode schema(String name) {
        JsonNode s = doc.path("components").path("schemas").path(name);
        assertFalse(s.isMissingNode(), "no component schema " + name);
        return s;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
