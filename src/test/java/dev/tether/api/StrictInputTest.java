package dev.tether.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.session.Session;
import dev.tether.session.Titles;
import dev.tether.session.store.SessionStore;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.RawHttp;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are read strictly: one JSON value, scalars as sent (no coercion), wrong types named in the problem,
 * unknown fields ignored; titles at most 1,024 characters; a prompt's model override checked like create's; image
 * data URLs only of PNG, JPEG, GIF or WebP. A refused prompt stores nothing.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class StrictInputTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    SessionStore store;

    @InjectFakeLlm
    FakeLlmServer llm;

    private static void refused(String path, String body, String detailPart) {
        given().contentType(ContentType.JSON).body(body).when().post(path).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://tether.dev/problems/invalid-request"))
                .body("detail", containsString(detailPart));
    }

    @Test
    void createReadsOneJsonValueWithoutCoercion() {
        refused("/api/sessions", "{\"title\":\"a\"} x", "Malformed JSON");
        refused("/api/sessions", "{\"title\":\"a\"}{\"title\":\"b\"}", "Malformed JSON");
        refused("/api/sessions", "{\"title\":123}", "'title'");
        refused("/api/sessions", "{\"title\":true}", "'title'");
        refused("/api/sessions", "{\"directory\":1.5}", "'directory'");
        refused("/api/sessions", "{\"model\":[\"openai/gpt-4o\"]}", "'model'");
        given().contentType(ContentType.JSON).body("{\"title\":\"kept\",\"unknown\":[1,{\"x\":2}]}").when()
                .post("/api/sessions").then().statusCode(201).body("title", equalTo("kept"));
        refused("/api/import/codex", "{\"id\":5}", "'id'");
        refused("/api/import/codex", "{\"id\":\"x\"} trailing", "Malformed JSON");
    }

    @Test
    void titlesAreAtMost1024Characters() {
        String max = "t".repeat(Titles.MAX_SET_CHARS);
        given().contentType(ContentType.JSON).body("{\"title\":\"" + max + "\"}").when().post("/api/sessions")
                .then().statusCode(201).body("title", equalTo(max));
        refused("/api/sessions", "{\"title\":\"" + max + "x\"}", "1024");
        refused("/api/sessions", "{\"title\":\"" + "t".repeat(2_000_000) + "\"}", "1024");
    }

    @Test
    void refusedPromptsStoreNothing() {
        String id = ApiSessions.createWith("{\"model\":\"openai/gpt-4o\"}");
        Session before = store.load(id);
        String path = "/api/sessions/" + id + "/prompt";
        refused(path, "{\"message\":123}", "'message'");
        refused(path, "{\"message\":\"hi\",\"max_steps\":\"1.5\"}", "'max_steps'");
        refused(path, "{\"message\":\"hi\",\"max_steps\":1.5}", "'max_steps'");
        refused(path, "{\"message\":\"hi\",\"max_steps\":\"3\"}", "'max_steps'");
        // the same range as a session's own max_steps
        refused(path, "{\"message\":\"hi\",\"max_steps\":0}", "max_steps must be between 1 and 1000");
        refused(path, "{\"message\":\"hi\",\"max_steps\":1001}", "max_steps must be between 1 and 1000");
        refused(path, "{\"message\":\"hi\",\"if_busy\":1}", "'if_busy'");
        refused(path, "{\"message\":\"hi\",\"images\":[{\"data_url\":5}]}", "'images[0].data_url'");
        refused(path, "{\"message\":\"hi\"} trailing", "Malformed JSON");
        refused(path, "{\"message\":\"hi\"}{\"message\":\"again\"}", "Malformed JSON");
        // the model override follows create's rule
        for (String model : new String[] {"openai/a b", "", " openai/gpt-4o", "openai/", "m".repeat(300)}) {
            refused(path, "{\"message\":\"hi\",\"model\":\"" + model + "\"}", "model must be");
        }
        // images are PNG, JPEG, GIF or WebP, both by the data URL and by mime_type
        refused(path, image("data:text/html;base64,PGI+", null), "media type");
        refused(path, image("data:image/svg+xml;base64,PHN2Zz4=", null), "media type");
        refused(path, image("data:application/octet-stream;base64,iVBORw0KGgo=", null), "media type");
        refused(path, image("data:image/png;base64,iVBORw0KGgo=", "text/html"), "media type");
        assertEquals(before, store.load(id), "a refused prompt changed the session");
    }

    @Test
    void unknownPromptFieldsAreIgnored() {
        String id = ApiSessions.createWith("{}");
        new RoutedLlm(llm).script(RoutedLlm.Kind.LOOP, Reply.text("Fine."));
        given().contentType(ContentType.JSON).body("{\"message\":\"hi\",\"colour\":\"blue\",\"images\":[{\"data_url\":"
                + "\"data:image/png;base64,iVBORw0KGgo=\",\"mime_type\":\"image/png\",\"alt\":1}]}")
                .when().post("/api/sessions/" + id + "/prompt").then().statusCode(200)
                .body("terminal_reason", equalTo("completed")).body("text", equalTo("Fine."));
    }

    @Test
    void anUnparsableContentTypeOnThePromptIs415() throws Exception {
        String id = ApiSessions.createWith("{}");
        for (String type : new String[] {"application/json, text/plain", "%%%"}) {
            RawHttp.Response r = RawHttp.request(RestAssured.port, "POST", "/api/sessions/" + id + "/prompt",
                    List.of("Content-Type: " + type), "{\"message\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(415, r.status(), r.text());
            assertEquals(PROBLEM, r.mediaType());
        }
    }

    private static String image(String dataUrl, String mimeType) {
        return "{\"message\":\"look\",\"images\":[{\"data_url\":\"" + dataUrl + "\""
                + (mimeType == null ? "" : ",\"mime_type\":\"" + mimeType + "\"") + "}]}";
    }
}
