package dev.tether.api;

import dev.tether.agent.ContextOperations;
import dev.tether.context.CompactionPreview;
import dev.tether.context.ContextEstimate;
import dev.tether.context.DerivedContext;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The context window of a session's next request: how full it is, and compaction on demand (spec §6.3). */
@Path("/api/sessions/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Context", description = "The context window of a session's next request and compaction (spec §6)")
public class ContextResource {

    private static final String NO_STORE_OR_PROVIDER = "The session store is unavailable, or the session's model has "
            + "no provider configured";

    private final ContextOperations context;

    public ContextResource(ContextOperations context) {
        this.context = context;
    }

    @GET
    @Path("context")
    @Operation(operationId = "getContext", summary = "Estimate the next request",
            description = "How full the context window of the session's next request would be: estimated request "
                    + "tokens against the effective budget of the session's model, and whether the next step would "
                    + "compact. Reads only: no model call, no event.")
    @APIResponse(responseCode = "200", description = "The estimate")
    @APIResponse(responseCode = "503", description = NO_STORE_OR_PROVIDER)
    public ContextView context(@RestPath String id) {
        ContextEstimate e = context.estimate(id);
        return new ContextView(e.model(), e.requestTokens(), e.budget(), e.fraction(), e.wouldCompact(), e.window(),
                e.usableBudget(), e.cachedSummary());
    }

    @POST
    @Path("compact")
    @Operation(operationId = "compactSession", summary = "Compact the context now",
            description = "Runs a manual compaction of the session's context now (emitting its events durably and "
                    + "adding the summary call's usage to the session); the stored transcript is not changed. With "
                    + "`dry_run=true` only says what a compaction would do: no model call, no event.")
    @APIResponse(responseCode = "200", description = "What ran, or would run for a dry run")
    @APIResponse(responseCode = "409", description = "A turn is running on the session")
    @APIResponse(responseCode = "503", description = NO_STORE_OR_PROVIDER)
    public CompactView compact(@RestPath String id, @RestQuery("dry_run") boolean dryRun) {
        if (dryRun) {
            CompactionPreview p = context.previewCompaction(id);
            return new CompactView(true, p.wouldCompact(), p.strategy().wireName(), p.splitIndex(), p.keptMessages(),
                    p.beforeTokens(), p.estimatedAfterTokens(), p.budget());
        }
        DerivedContext d = context.compactNow(id);
        DerivedContext.CompactionResult c = d.compaction();
        if (c == null) {
            return new CompactView(false, false, null, 0, d.messages().size(), d.requestTokens(), d.requestTokens(),
                    d.budget());
        }
        return new CompactView(false, true, c.strategy().wireName(), c.splitIndex(), c.keptMessages(),
                c.beforeTokens(), c.afterTokens(), d.budget());
    }

    /** {@code GET /context}. */
    public record ContextView(String model, long requestTokens, long budget, double fraction, boolean wouldCompact,
                              long window, long usableBudget, boolean cachedSummary) {
    }

    /** {@code POST /compact}: what ran (or would run, for a dry run). */
    public record CompactView(boolean dryRun, boolean compacted, String strategy, int splitIndex, int keptMessages,
                              long beforeTokens, long afterTokens, long budget) {
    }
}
