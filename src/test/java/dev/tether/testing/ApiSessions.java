package dev.tether.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session API of the {@code @QuarkusTest} application over rest-assured: create ({@code POST /api/sessions} →
 * 201), prompt answered as JSON, read ({@code GET /api/sessions/{id}} → 200). {@link AppClient} is the same for a
 * {@link PackagedApp} child process.
 */
public final class ApiSessions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiSessions() {
    }

    /** A session working in {@code directory}, on the default model. */
    public static String create(Path directory) {
        return create(directory, null, null);
    }

    /** A session working in {@code directory}, on {@code model} (the default when null). */
    public static String create(Path directory, String model) {
        return create(directory, model, null);
    }

    /** As {@link #create(Path, String)}, titled {@code title} when not null (no AI title call runs then). */
    public static String create(Path directory, String model, String title) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("directory", directory.toString());
        if (model != null) {
            body.put("model", model);
        }
        if (title != null) {
            body.put("title", title);
        }
        return createWith(body);
    }

    /** A session created from {@code body} as given (a map, or JSON text); its id. */
    public static String createWith(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/sessions").then().statusCode(201)
                .extract().path("id");
    }

    /** {@code POST /api/sessions/{id}/prompt} of {@code body} (a map, or JSON text) answered as JSON; any status. */
    public static Response prompt(String id, Object body) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .post("/api/sessions/" + id + "/prompt");
    }

    /** {@link #prompt} → 200: the {@code SessionResult}. */
    public static JsonNode promptResult(String id, Object body) {
        Response r = prompt(id, body);
        assertEquals(200, r.statusCode(), r.asString());
        return parse(r.asString());
    }

    /** {@code GET /api/sessions/{id}} → 200: the session. */
    public static JsonNode read(String id) {
        return parse(given().get("/api/sessions/" + id).then().statusCode(200).extract().asString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
