package dev.tether.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tether.session.SessionSummary;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Body of {@code GET /api/sessions}: one page, and the cursor of the next one ({@code null} on the last page). */
@JsonPropertyOrder({"sessions", "next_cursor"})
@JsonInclude(JsonInclude.Include.ALWAYS)
@RegisterForReflection
public record SessionListResponse(List<SessionSummary> sessions, String nextCursor) {
}
