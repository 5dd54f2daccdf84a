package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Outcome of one turn (spec §3.11). {@code error} is set only when {@code terminalReason} is {@code error}. */
@JsonPropertyOrder({"text", "session_id", "terminal_reason", "steps", "usage", "error"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionResult(String text, String sessionId, TerminalReason terminalReason, int steps, Usage usage,
                            String error) {
    public SessionResult {
        text = text == null ? "" : text;
        usage = usage == null ? Usage.ZERO : usage;
    }
}
