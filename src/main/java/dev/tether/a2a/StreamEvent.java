package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code message/stream} and {@code tasks/resubscribe} send as the {@code result} of each JSON-RPC response
 * (A2A 0.3 §7.2): the task itself, then its status and artifact updates.
 */
public sealed interface StreamEvent permits A2aTask, StreamEvent.StatusUpdate, StreamEvent.ArtifactUpdate {

    /** A change of the task's status; {@code final} on the last event of the stream. */
    @A2aWire
    @JsonPropertyOrder({"taskId", "contextId", "kind", "status", "final"})
    @RegisterForReflection
    record StatusUpdate(String taskId, String contextId, A2aTask.TaskStatus status,
                        @JsonProperty("final") boolean last) implements StreamEvent {
        @JsonProperty("kind")
        public String kind() {
            return "status-update";
        }
    }

    /** An artifact of the task, whole ({@code lastChunk}). */
    @A2aWire
    @JsonPropertyOrder({"taskId", "contextId", "kind", "artifact", "append", "lastChunk"})
    @RegisterForReflection
    record ArtifactUpdate(String taskId, String contextId, A2aTask.Artifact artifact, boolean append,
                          boolean lastChunk) implements StreamEvent {
        @JsonProperty("kind")
        public String kind() {
            return "artifact-update";
        }
    }
}
