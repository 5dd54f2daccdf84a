package dev.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The API of a {@link PackagedApp} child process over real HTTP (JDK client, HTTP/1.1): create a session, prompt it
 * (JSON or SSE), read it. What {@code testing/ApiSessions} is for the {@code @QuarkusTest} application. Calls that
 * expect a status fail with an {@link AssertionError} naming the status and body; an {@link IOException} means the app
 * went away (a kill) and is the caller's to judge.
 */
public final class AppClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** A bound for a hung app, not a measure: a prompt's whole turn runs within it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final PackagedApp app;

    public AppClient(PackagedApp app) {
        this.app = app;
    }

    /** The JSON body of a prompt; {@code ifBusy} ({@code reject}, {@code queue}) is left out when null. */
    public static String promptBody(String message, String ifBusy) {
        ObjectNode body = JSON.createObjectNode().put("message", message);
        if (ifBusy != null) {
            body.put("if_busy", ifBusy);
        }
        return body.toString();
    }

    /**
     * {@code POST /api/sessions} working in {@code directory} → 201; its id. Titled {@code title} when not null, so
     * that no title call runs and every model call is a loop step.
     */
    public String createSession(Path directory, String title) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("directory", directory.toString());
        if (title != null) {
            body.put("title", title);
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(app.uri("/api/sessions"))
                .header("Content-Type", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        expect(201, r, "POST /api/sessions");
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** {@code POST /api/sessions/{id}/prompt} of {@code body} answered as JSON, with {@code headers}; any status. */
    public HttpResponse<String> prompt(String id, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send(promptRequest(id, body, headers));
    }

    /** {@link #prompt} without waiting for the answer. */
    public CompletableFuture<HttpResponse<String>> promptAsync(String id, String body) {
        return HTTP.sendAsync(promptRequest(id, body, Map.of()), HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #prompt} → 200: the {@code SessionResult}. */
    public JsonNode promptResult(String id, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpResponse<String> r = prompt(id, body, headers);
        expect(200, r, "prompt " + body);
        return JSON.readTree(r.body());
    }

    /** {@code POST /api/sessions/{id}/prompt} of {@code body} as an SSE stream, with {@code headers}. */
    public SseClient promptStream(String id, String body, Map<String, String> headers) throws Exception {
        return SseClient.post(app.uri("/api/sessions/" + id + "/prompt"), body, headers);
    }

    /** {@code GET /api/sessions/{id}/events} as an SSE stream, with {@code headers} (e.g. {@code Last-Event-ID}). */
    public SseClient events(String id, Map<String, String> headers) throws Exception {
        return SseClient.get(app.uri("/api/sessions/" + id + "/events"), headers, null);
    }

    /** {@code GET path}; any status. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(app.uri(path)).timeout(TIMEOUT).GET().build());
    }

    /** {@code GET path} → 200: its body. */
    public String getOk(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        expect(200, r, "GET " + path);
        return r.body();
    }

    /** {@code GET path} → 200: its JSON. */
    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(getOk(path));
    }

    /** {@code GET /api/sessions/{id}} → 200: the session. */
    public JsonNode session(String id) throws IOException, InterruptedException {
        return getJson("/api/sessions/" + id);
    }

    private HttpRequest promptRequest(String id, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri("/api/sessions/" + id + "/prompt"))
                .header("Content-Type", "application/json").header("Accept", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return b.build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> r, String what) {
        if (r.statusCode() != status) {
            throw new AssertionError(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
