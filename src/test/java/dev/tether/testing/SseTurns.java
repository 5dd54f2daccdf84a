package dev.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads Tether's SSE streams over real HTTP with {@link HttpClient}: a prompt's event stream
 * ({@code POST /prompt} with {@code Accept: text/event-stream}, which ends after {@code done}/{@code error}) and the
 * journal replay of {@code GET /events} with {@code Last-Event-ID} (read until a wanted frame arrives, then closed).
 * Every event is returned as its JSON object with {@code type} set (and {@code _seq} for durable frames).
 */
public final class SseTurns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final long WAIT_S = 120;

    private SseTurns() {
    }

    /** Runs a prompt and returns every event of its turn, in order, ending with {@code done} or {@code error}. */
    public static List<JsonNode> prompt(URI sessions, String id, Map<String, ?> body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(sessions.resolve(id + "/prompt"))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            HttpResponse<InputStream> response = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new AssertionError("prompt answered " + response.statusCode() + ": "
                        + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            InputStream in = response.body();
            List<JsonNode> events = CompletableFuture.supplyAsync(() -> read(in, e -> false))
                    .get(WAIT_S, TimeUnit.SECONDS);
            String last = events.isEmpty() ? "" : events.get(events.size() - 1).path("type").asText();
            if (!last.equals("done") && !last.equals("error")) {
                throw new AssertionError("the prompt stream did not end with done/error: " + types(events));
            }
            return events;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Replays the durable events of a session after {@code afterSeq} from {@code GET /events} and reads until
     * {@code until} matches an event (included), then closes the stream.
     */
    public static List<JsonNode> replay(URI sessions, String id, long afterSeq, Predicate<JsonNode> until) {
        try {
            HttpRequest req = HttpRequest.newBuilder(sessions.resolve(id + "/events"))
                    .header("Accept", "text/event-stream").header("Last-Event-ID", Long.toString(afterSeq)).GET()
                    .build();
            HttpResponse<InputStream> response = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new AssertionError("events answered " + response.statusCode());
            }
            InputStream in = response.body();
            try (in) {
                return CompletableFuture.supplyAsync(() -> read(in, until)).get(WAIT_S, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The events of the given type. */
    public static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).collect(Collectors.toList());
    }

    /** The event types, in order. */
    public static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).collect(Collectors.toList());
    }

    /**
     * The sum of {@code token_usage} events as {@code SessionResult.usage} and {@code Session.usage} report it
     * (spec §2.4, §5.4): counts add up, a null cache count plus a number is that number.
     */
    public static JsonNode usageSum(List<JsonNode> tokenUsages) {
        long prompt = 0;
        long completion = 0;
        Long read = null;
        Long write = null;
        for (JsonNode u : tokenUsages) {
            prompt += u.get("prompt_tokens").asLong();
            completion += u.get("completion_tokens").asLong();
            read = add(read, u.get("cache_read_tokens"));
            write = add(write, u.get("cache_write_tokens"));
        }
        ObjectNode n = JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        n.put("cache_read_tokens", read);
        n.put("cache_write_tokens", write);
        try {
            return JSON.readTree(n.toString()); // the same number node types as parsed responses
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Long add(Long a, JsonNode b) {
        if (b == null || b.isNull()) {
            return a;
        }
        return a == null ? b.asLong() : a + b.asLong();
    }

    private static List<JsonNode> read(InputStream body, Predicate<JsonNode> until) {
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            String seq = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null && data != null) {
                        ObjectNode node = (ObjectNode) JSON.readTree(data.toString());
                        if (!node.has("type")) {
                            node.put("type", event);
                        }
                        if (seq != null) {
                            node.put("_seq", Long.parseLong(seq));
                        }
                        events.add(node);
                        if (until.test(node)) {
                            return events;
                        }
                    }
                    event = null;
                    seq = null;
                    data = null;
                    continue;
                }
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (name) {
                    case "event" -> event = value;
                    case "id" -> seq = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                        // comments (keep-alives) carry nothing
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return events;
    }
}
