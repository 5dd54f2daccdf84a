package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A persisted conversation (spec §2.1). Field order is part of the format: {@code metadata} precedes
 * {@code messages} so that readers needing only the header can stop early.
 */
@JsonPropertyOrder({"id", "title", "created_at", "updated_at", "metadata", "agent", "messages", "tool_uses", "usage"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Session(String id, String title,
                      @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class) Instant createdAt,
                      @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class) Instant updatedAt,
                      SessionMetadata metadata, String agent, List<Message> messages, List<ToolUse> toolUses,
                      Usage usage) {

    public static final String DEFAULT_AGENT = "build";

    public Session {
        if (id == null || createdAt == null) {
            throw new IllegalArgumentException("session id and created_at are required");
        }
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        metadata = metadata == null ? SessionMetadata.DEFAULT : metadata;
        agent = agent == null || agent.isBlank() ? DEFAULT_AGENT : agent;
        messages = messages == null ? List.of() : List.copyOf(messages);
        toolUses = toolUses == null ? List.of() : List.copyOf(toolUses);
        usage = usage == null ? Usage.ZERO : usage;
    }

    /** A new, empty session with a random UUID v4 id. */
    public static Session create(String title, String agent, SessionMetadata metadata, Instant now) {
        Instant at = Timestamps.truncate(now);
        return new Session(UUID.randomUUID().toString(), Titles.settable(title), at, at, metadata, agent, List.of(),
                List.of(), Usage.ZERO);
    }

    /** {@code updated_at} never decreases: an earlier clock reading keeps the stored value. */
    public Instant bump(Instant now) {
        Instant at = Timestamps.truncate(now);
        return at.isAfter(updatedAt) ? at : updatedAt;
    }

    public Session withTitle(String newTitle, Instant now) {
        return new Session(id, newTitle, createdAt, bump(now), metadata, agent, messages, toolUses, usage);
    }

    public Session withMetadata(SessionMetadata newMetadata, Instant now) {
        return new Session(id, title, createdAt, bump(now), newMetadata, agent, messages, toolUses, usage);
    }

    public Session touched(Instant now) {
        return new Session(id, title, createdAt, bump(now), metadata, agent, messages, toolUses, usage);
    }

    /**
     * The display label (§8.3). Derived, never stored: the API mapper serialises it (see {@code config/Json}); the
     * stored format of §2.1 does not know it.
     */
    public String label() {
        return Titles.label(title, id);
    }

    /** The summary used by listings. */
    public SessionSummary summary() {
        return new SessionSummary(id, title, createdAt, updatedAt, messages.size(), agent, metadata.directory());
    }
}
