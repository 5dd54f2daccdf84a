package dev.tether.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Creates sessions over the API of the {@code @QuarkusTest} application ({@code POST /api/sessions} → 201). */
public final class ApiSessions {

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
        return given().contentType(ContentType.JSON).body(body).post("/api/sessions").then().statusCode(201)
                .extract().path("id");
    }
}
