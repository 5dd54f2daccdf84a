package dev.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads Tether's SSE streams over real HTTP through {@link SseClient}: a prompt's event stream
 * ({@code POST /prompt} with {@code Accept: text/event-stream}, which ends after {@code done}/{@code error}) and the
 * journal replay of {@code GET /events} with {@code Last-Event-ID} (read until a wanted frame arrives, then closed).
 * Every event is returned as its JSON object with {@code type} set (and {@code _seq} for durable frames).
 */
public final class SseTurns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    private SseTurns() {
    }

    /** Runs a prompt and returns every event of its turn, in order, ending with {@code done} or {@code error}. */
    public static List<JsonNode> prompt(URI sessions, String id, Map<String, ?> body) {
        List<JsonNode> events = new ArrayList<>();
        try (SseClient sse = SseClient.post(sessions.resolve(id + "/prompt"), JSON.writeValueAsString(body), Map.of(),
                WAIT)) {
            String type;
            do {
                JsonNode event = event(sse.next());
                events.add(event);
                type = event.path("type").asText();
            } while (!type.equals("done") && !type.equals("error"));
            sse.awaitEnd();
            return events;
        } catch (AssertionError e) {
            throw new AssertionError("the prompt stream did not end with done/error: " + types(events), e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Replays the durable events of a session after {@code afterSeq} from {@code GET /events} and reads until
     * {@code until} matches an event (included), then closes the stream.
     */
    public static List<JsonNode> replay(URI sessions, String id, long afterSeq, Predicate<JsonNode> until) {
        List<JsonNode> events = new ArrayList<>();
        try (SseClient sse = SseClient.get(sessions.resolve(id + "/events"),
                Map.of("Last-Event-ID", Long.toString(afterSeq)), null, WAIT)) {
            JsonNode event;
            do {
                event = event(sse.next());
                events.add(event);
            } while (!until.test(event));
            return events;
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

    /** A frame's data as a JSON object, with {@code type} (the frame's event) and {@code _seq} (its id) added. */
    private static JsonNode event(SseClient.Frame frame) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(frame.data() == null ? "{}" : frame.data());
        if (!node.has("type")) {
            node.put("type", frame.event());
        }
        if (frame.id() != null) {
            node.put("_seq", Long.parseLong(frame.id()));
        }
        return node;
    }
}
