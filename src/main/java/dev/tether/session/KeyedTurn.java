package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A turn started by a prompt with an {@code Idempotency-Key} (spec §3.1), as the store keeps it with the session:
 * the key and a hash of the request, the index of the turn's user message and the journal sequence of its record
 * (events of the turn follow it), and, once the turn ended, its {@link SessionResult} and the sequence of that record
 * (the terminal event follows it). {@code result} stays {@code null} when the process stopped before the turn ended.
 * Forgotten after {@code expiresAt}.
 */
@JsonPropertyOrder({"key", "request_hash", "first_message", "start_seq", "expires_at", "result", "result_seq"})
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection
public record KeyedTurn(String key, String requestHash, int firstMessage, long startSeq,
                        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class) Instant expiresAt,
                        SessionResult result, long resultSeq) {

    /** The turn as recorded with its user message, before it ends. */
    public static KeyedTurn started(String key, String requestHash, int firstMessage, long startSeq, Instant expiresAt) {
        return new KeyedTurn(key, requestHash, firstMessage, startSeq, expiresAt, null, 0);
    }

    /** This turn with its result, recorded at journal sequence {@code seq}. */
    public KeyedTurn ended(SessionResult endResult, long seq) {
        return new KeyedTurn(key, requestHash, firstMessage, startSeq, expiresAt, endResult, seq);
    }

    /** Whether the key no longer counts at {@code now}. */
    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** Whether every field a lookup relies on is present (a stored record that is not is ignored). */
    @JsonIgnore
    public boolean isComplete() {
        return key != null && requestHash != null && expiresAt != null;
    }

    /** Whether the turn's result was recorded. */
    @JsonIgnore
    public boolean hasEnded() {
        return result != null;
    }
}
