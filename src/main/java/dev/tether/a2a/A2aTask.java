package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * An A2A task (A2A 0.3 §6.1): here one turn of the agentic loop in the session named by {@code contextId}. Its
 * {@code history} holds the turn's messages, {@code artifacts} the answer once it ended. Written with
 * {@code "kind": "task"}.
 */
@A2aWire
@JsonPropertyOrder({"id", "contextId", "status", "history", "artifacts", "metadata", "kind"})
@RegisterForReflection
public record A2aTask(String id, String contextId, TaskStatus status, List<A2aMessage> history,
                      List<Artifact> artifacts, JsonNode metadata) implements StreamEvent {

    @JsonProperty("kind")
    public String kind() {
        return "task";
    }

    /** The state of a task (A2A 0.3 §6.3), with its wire names; this service uses five of them. */
    @RegisterForReflection
    public enum State {
        @JsonProperty("submitted") SUBMITTED,
        @JsonProperty("working") WORKING,
        @JsonProperty("completed") COMPLETED,
        @JsonProperty("canceled") CANCELED,
        @JsonProperty("failed") FAILED;

        public boolean isFinal() {
            return this == COMPLETED || this == CANCELED || this == FAILED;
        }
    }

    /** A task's state, an optional message of the agent about it, and when it was reached (ISO 8601). */
    @A2aWire
    @RegisterForReflection
    public record TaskStatus(State state, A2aMessage message, String timestamp) {
    }

    /** An output of a task (A2A 0.3 §6.7): here the answer of the turn. */
    @A2aWire
    @RegisterForReflection
    public record Artifact(String artifactId, String name, String description, List<Part> parts) {
    }
}
