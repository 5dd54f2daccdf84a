package dev.tether.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tether.session.SessionSummary;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Body of {@code GET /api/sessions}: one page, and the cursor of the next one ({@code null} on the last page). */
@JsonPropertyOrder({"sessions", "next_cursor"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@RegisterForReflection
public record SessionListResponse(List<SessionSummary> sessions, String nextCursor) {
}
