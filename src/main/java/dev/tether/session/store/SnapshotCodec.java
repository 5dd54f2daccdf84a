package dev.tether.session.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.CorruptSessionException;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.Timestamps;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The snapshot file: the Session JSON of spec §2.1 in its key order, plus trailing {@code keyed_turns} (the
 * Idempotency-Key records of the session, only when there are any) and {@code journal_seq} naming the last journal
 * record it includes (readers of the Session format ignore unknown fields). Reading streams the file
 * once, so a summary read counts messages without materialising them.
 */
final class SnapshotCodec {

    static final String JOURNAL_SEQ = "journal_seq";
    static final String KEYED_TURNS = "keyed_turns";
    private static final TypeReference<List<KeyedTurn>> KEYED = new TypeReference<>() {
    };
    private static final TypeReference<List<Message>> MESSAGES = new TypeReference<>() {
    };
    private static final TypeReference<List<ToolUse>> TOOL_USES = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    SnapshotCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A snapshot as read: the session (or its summary state) and the journal sequence it includes. */
    record Snapshot(SessionState state, long journalSeq) {
    }

    byte[] encode(Session session, List<KeyedTurn> keyedTurns, long journalSeq) {
        byte[] json;
        String keyed;
        try {
            json = mapper.writeValueAsBytes(session);
            keyed = keyedTurns.isEmpty() ? "" : ",\"" + KEYED_TURNS + "\":" + mapper.writeValueAsString(keyedTurns);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("session not serialisable", e);
        }
        byte[] tail = (keyed + ",\"" + JOURNAL_SEQ + "\":" + journalSeq + "}\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[json.length - 1 + tail.length];
        System.arraycopy(json, 0, out, 0, json.length - 1);
        System.arraycopy(tail, 0, out, json.length - 1, tail.length);
        return out;
    }

    /**
     * Reads a snapshot. {@code keepContent == false} counts messages without keeping them. Throws
     * {@link CorruptSessionException} when the file is not a session or records another id.
     */
    Snapshot read(Path file, String expectedId, boolean keepContent) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser p = mapper.createParser(in)) {
            return parse(p, expectedId, keepContent);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CorruptSessionException("Session " + expectedId + " is unreadable: its snapshot is not a valid "
                    + "session document", e);
        }
    }

    /** Reads a snapshot held in memory (the PostgreSQL store's {@code snapshot} column); as {@link #read(Path, String, boolean)}. */
    Snapshot read(byte[] json, String expectedId, boolean keepContent) throws IOException {
        try (JsonParser p = mapper.createParser(json)) {
            return parse(p, expectedId, keepContent);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CorruptSessionException("Session " + expectedId + " is unreadable: its snapshot is not a valid "
                    + "session document", e);
        }
    }

    private Snapshot parse(JsonParser p, String expectedId, boolean keepContent) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new CorruptSessionException("Session " + expectedId + " is unreadable: its snapshot is not a JSON object");
        }
        String id = null;
        String title = null;
        Instant createdAt = null;
        Instant updatedAt = null;
        SessionMetadata metadata = null;
        String agent = null;
        Usage usage = null;
        List<Message> messages = List.of();
        List<ToolUse> toolUses = List.of();
        List<KeyedTurn> keyedTurns = List.of();
        int messageCount = 0;
        long seq = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            boolean isNull = value == JsonToken.VALUE_NULL;
            switch (field) {
                case "id" -> id = isNull ? null : p.getValueAsString();
                case "title" -> title = isNull ? null : p.getValueAsString();
                case "created_at" -> createdAt = isNull ? null : Timestamps.parse(p.getValueAsString());
                case "updated_at" -> updatedAt = isNull ? null : Timestamps.parse(p.getValueAsString());
                case "metadata" -> metadata = isNull ? null : mapper.readValue(p, SessionMetadata.class);
                case "agent" -> agent = isNull ? null : p.getValueAsString();
                case "usage" -> usage = isNull ? null : mapper.readValue(p, Usage.class);
                case JOURNAL_SEQ -> seq = isNull ? 0 : p.getValueAsLong();
                case KEYED_TURNS -> keyedTurns = isNull ? List.of() : mapper.readValue(p, KEYED);
                case "messages" -> {
                    if (isNull) {
                        break;
                    }
                    if (keepContent) {
                        messages = mapper.readValue(p, MESSAGES);
                        messageCount = messages.size();
                    } else {
                        messageCount = countArray(p);
                    }
                }
                case "tool_uses" -> {
                    if (keepContent && !isNull) {
                        toolUses = mapper.readValue(p, TOOL_USES);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new CorruptSessionException("Session " + expectedId + " is unreadable: its snapshot is truncated");
        }
        if (id == null || createdAt == null) {
            throw new CorruptSessionException("Session " + expectedId + " is unreadable: its snapshot lacks id or created_at");
        }
        if (!id.equals(expectedId)) {
            throw new CorruptSessionException("Session " + expectedId + " is unreadable: its snapshot records another id");
        }
        SessionState state = new SessionState(id, title, createdAt, updatedAt, metadata, agent, usage, keepContent);
        if (keepContent) {
            state.messages.addAll(messages);
            state.toolUses.addAll(toolUses);
        }
        state.messageCount = messageCount;
        for (KeyedTurn t : keyedTurns) {
            if (t != null && t.isComplete()) {
                state.keyTurn(t);
            }
        }
        return new Snapshot(state, seq);
    }

    private static int countArray(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "messages is not an array");
        }
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
            }
            p.skipChildren();
            n++;
        }
        return n;
    }
}
