package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Record of one resolved tool call (spec §2.4): {@code input} is the arguments string as received, {@code output} the
 * stored result body without the feedback envelope.
 */
@JsonPropertyOrder({"id", "name", "input", "output", "success"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolUse(String id, String name, String input, String output, boolean success) {
}
