package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * An A2A message (A2A 0.3 §6.4): {@code role} {@code user} or {@code agent}, its parts, the sender's
 * {@code messageId}, and the task and context it belongs to. Written with {@code "kind": "message"}.
 */
@A2aWire
@JsonPropertyOrder({"role", "parts", "messageId", "taskId", "contextId", "metadata", "kind"})
@RegisterForReflection
public record A2aMessage(String role, List<Part> parts, String messageId, String taskId, String contextId,
                         JsonNode metadata) {

    public static final String USER = "user";
    public static final String AGENT = "agent";

    /** A message of the agent within a task. */
    public static A2aMessage agent(String messageId, String taskId, String contextId, List<Part> parts) {
        return new A2aMessage(AGENT, parts, messageId, taskId, contextId, null);
    }

    @JsonProperty("kind")
    public String kind() {
        return "message";
    }
}
