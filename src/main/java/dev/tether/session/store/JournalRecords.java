package dev.tether.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionResult;
import dev.tether.session.Timestamps;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The journal record kinds and how each changes a session on replay. Records are {@code {seq, at, kind, …}}:
 * {@code message} {@code {message}}, {@code tool_use} {@code {tool_use}}, {@code meta}
 * {@code {title, metadata, usage, updated_at}} (the values after the change), {@code event} {@code {event}}. A
 * {@code message} record may carry {@code keyed_turn} {@code {key, request_hash, expires_at}}: the message is the user
 * message of a prompt with that Idempotency-Key; {@code turn_result} {@code {key, result}} records how that turn ended.
 */
final class JournalRecords {

    static final String MESSAGE = "message";
    static final String TOOL_USE = "tool_use";
    static final String META = "meta";
    static final String EVENT = "event";
    static final String TURN_RESULT = "turn_result";
    private static final String KEYED_TURN = "keyed_turn";

    private static final Logger LOG = Logger.getLogger(JournalRecords.class);

    private final ObjectMapper mapper;

    JournalRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode message(long seq, Instant at, Message message) {
        return record(seq, at, MESSAGE, mapper.valueToTree(message));
    }

    /** The user message of a keyed prompt, with its key: one record, so the key is durable exactly with the message. */
    ObjectNode keyedMessage(long seq, Instant at, Message message, String key, String requestHash, Instant expiresAt) {
        ObjectNode n = message(seq, at, message);
        n.putObject(KEYED_TURN).put("key", key).put("request_hash", requestHash)
                .put("expires_at", Timestamps.format(expiresAt));
        return n;
    }

    ObjectNode turnResult(long seq, Instant at, String key, SessionResult result) {
        ObjectNode n = header(seq, at, TURN_RESULT);
        n.put("key", key);
        n.set("result", mapper.valueToTree(result));
        return n;
    }

    ObjectNode toolUse(long seq, Instant at, ToolUse toolUse) {
        return record(seq, at, TOOL_USE, mapper.valueToTree(toolUse));
    }

    ObjectNode meta(long seq, Instant at, String title, SessionMetadata metadata, Usage usage, Instant updatedAt) {
        ObjectNode n = header(seq, at, META);
        n.put("title", title);
        n.set("metadata", mapper.valueToTree(metadata));
        n.set("usage", mapper.valueToTree(usage));
        n.put("updated_at", Timestamps.format(updatedAt));
        return n;
    }

    ObjectNode event(long seq, Instant at, JsonNode event) {
        return record(seq, at, EVENT, event);
    }

    /** A record whose body is one field named as its kind. */
    private ObjectNode record(long seq, Instant at, String kind, JsonNode body) {
        ObjectNode n = header(seq, at, kind);
        n.set(kind, body);
        return n;
    }

    private ObjectNode header(long seq, Instant at, String kind) {
        ObjectNode n = mapper.createObjectNode();
        n.put("seq", seq);
        n.put("at", Timestamps.format(at));
        n.put("kind", kind);
        return n;
    }

    static Instant at(JsonNode record) {
        return Timestamps.parse(record.path("at").asText());
    }

    private static JsonNode required(JsonNode record, String field) {
        JsonNode n = record.get(field);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return n;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return n.asText();
    }

    /** Applies one record to the state. A record that does not decode is skipped with a warning. */
    void apply(SessionState state, JournalCodec.Line line) {
        JsonNode r = line.record();
        try {
            switch (line.kind()) {
                case MESSAGE -> {
                    Message message = mapper.treeToValue(required(r, "message"), Message.class);
                    JsonNode k = r.has(KEYED_TURN) ? required(r, KEYED_TURN) : null;
                    KeyedTurn keyed = k == null ? null : KeyedTurn.started(text(k, "key"), text(k, "request_hash"),
                            state.messageCount, line.seq(), Timestamps.parse(text(k, "expires_at")));
                    state.addMessage(message, at(r));
                    if (keyed != null) {
                        state.keyTurn(keyed);
                    }
                }
                case TURN_RESULT -> state.endKeyedTurn(text(r, "key"),
                        mapper.treeToValue(required(r, "result"), SessionResult.class), line.seq());
                case TOOL_USE -> state.addToolUse(mapper.treeToValue(required(r, "tool_use"), ToolUse.class));
                case META -> state.setMeta(r.path("title").isTextual() ? r.get("title").asText() : null,
                        mapper.treeToValue(r.get("metadata"), SessionMetadata.class),
                        mapper.treeToValue(r.get("usage"), Usage.class),
                        r.path("updated_at").isTextual() ? Timestamps.parse(r.get("updated_at").asText()) : null);
                case EVENT -> {
                    // Durable events do not change the session; they are kept for replay to subscribers.
                }
                default -> LOG.debugf("session %s: journal record %d has unknown kind %s; ignored", state.id,
                        line.seq(), line.kind());
            }
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            LOG.warnf("session %s: journal record %d (%s) does not decode; skipped", state.id, line.seq(), line.kind());
        }
    }
}
