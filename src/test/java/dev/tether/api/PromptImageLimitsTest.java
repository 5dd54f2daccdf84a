package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.store.SessionStore;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.Workspaces;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Collections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image limits of spec §2.5 at their defaults ({@code tether.agent.max-images} 8, {@code max-image-bytes}
 * 10 MiB decoded), over HTTP: a violation rejects the prompt as a problem before anything is stored or emitted.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class PromptImageLimitsTest {

    private static final int MAX_IMAGE_BYTES = 10 * 1024 * 1024;
    private static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @InjectFakeLlm
    FakeLlmServer llm;

    @TestHTTPResource("/api/sessions/")
    URI sessions;

    @Inject
    SessionStore store;

    /** The session right after creation. */
    private JsonNode session;

    @BeforeEach
    void reset() {
        llm.reset();
    }

    @Test
    void nineImagesAre400() throws Exception {
        String id = createSession();
        String images = String.join(",", Collections.nCopies(9, "{\"data_url\":\"" + PNG + "\"}"));
        JsonNode problem = assertProblem(prompt(id, "{\"message\":\"compare\",\"images\":[" + images + "]}"), 400,
                "/invalid-request");
        assertTrue(problem.path("detail").asText().contains("At most 8 images"), problem.toString());
        assertNothingHappened(id);
    }

    @Test
    void anImageOneByteOverTheDecodedLimitIs413() throws Exception {
        String id = createSession();
        String data = Base64.getEncoder().encodeToString(new byte[MAX_IMAGE_BYTES + 1]);
        JsonNode problem = assertProblem(prompt(id, "{\"message\":\"look\",\"images\":[{\"data_url\":"
                + "\"data:image/png;base64," + data + "\"}]}"), 413, "/payload-too-large");
        assertTrue(problem.path("detail").asText().contains("images[0]"), problem.toString());
        assertNothingHappened(id);
    }

    private String createSession() throws Exception {
        String id = ApiSessions.create(Workspaces.withHello(), null, "Images");
        session = ApiSessions.read(id);
        return id;
    }

    /** Sent with the JDK client: it streams the 14 MB body as is, where rest-assured would copy it several times. */
    private HttpResponse<String> prompt(String id, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(sessions.resolve(id + "/prompt"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The session is exactly as created: no message, no event, no model call. */
    private void assertNothingHappened(String id) {
        assertEquals(session, ApiSessions.read(id));
        assertTrue(store.eventsAfter(id, 0).isEmpty(), "no durable event");
        assertEquals(0, llm.requestCount(), "no model call");
    }

    private static JsonNode assertProblem(HttpResponse<String> r, int status, String typeSuffix) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""));
        JsonNode problem = JSON.readTree(r.body());
        assertTrue(problem.path("type").asText().endsWith(typeSuffix), r.body());
        assertEquals(status, problem.path("status").asInt());
        return problem;
    }
}
