package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Comparator;

/** What a listing shows of a session (spec §9); built without materialising the transcript. */
@JsonPropertyOrder({"id", "title", "created_at", "updated_at", "message_count", "agent", "directory"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionSummary(String id, String title,
                             @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class) Instant createdAt,
                             @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class) Instant updatedAt,
                             int messageCount, String agent, String directory) {

    /** Listing order: {@code updated_at} descending, ties by {@code id} ascending. */
    public static final Comparator<SessionSummary> NEWEST_FIRST =
            Comparator.comparing(SessionSummary::updatedAt).reversed().thenComparing(SessionSummary::id);

    /** The display label (§8.3); derived, serialised only by the API mapper (see {@code config/Json}). */
    public String label() {
        return Titles.label(title, id);
    }

    public SessionSummary withTitle(String newTitle) {
        return new SessionSummary(id, newTitle, createdAt, updatedAt, messageCount, agent, directory);
    }
}
