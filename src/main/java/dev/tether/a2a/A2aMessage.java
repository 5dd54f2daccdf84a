package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * An A2A message (A2A 0.3 §6.4): {@code role} {@code user} or {@code agent}, its parts, the sender's
 * {@code messageId}, and the task and context it belongs to. Written with {@code "kind": "message"}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
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
