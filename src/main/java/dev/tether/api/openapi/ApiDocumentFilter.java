package dev.tether.api.openapi;

import dev.tether.api.Problem;
import dev.tether.event.SessionEvent;
import dev.tether.session.ContentPart;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.smallrye.openapi.api.util.FilterUtil;
import io.smallrye.openapi.api.util.UnusedSchemaFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.jboss.jandex.IndexView;

/**
 * Completes the scanned OpenAPI document at build time (so nothing of it runs in the service or a native image):
 * <ul>
 *   <li>the event streams ({@code text/event-stream} responses) carry the {@code SessionEvent} union, one
 *       {@code oneOf} member per type of the sealed {@link SessionEvent}, discriminated by {@code type}, instead of the
 *       scanner's array of {@code OutboundSseEvent};</li>
 *   <li>message parts are the {@code ContentPart} union the same way;</li>
 *   <li>sessions and summaries carry the derived {@code label} that the API's JSON adds;</li>
 *   <li>every error is {@code application/problem+json} with the {@code Problem} schema, and the errors of every call
 *       are listed ({@link ProblemResponses});</li>
 *   <li>component schemas nothing refers to any more are dropped.</li>
 * </ul>
 * Operation ids, descriptions and tags come from the resources' {@code @Operation} and {@code @Tag} annotations.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {

    /** Media type of the event streams. */
    static final String EVENT_STREAM = "text/event-stream";
    static final String EVENT_UNION = "SessionEvent";
    private static final String STREAM_DESCRIPTION = "Server-sent events, one per session event: `event: <type>`, "
            + "`id: <sequence>` on durable events (resume with `Last-Event-ID`), `data: <the event as JSON>` of the "
            + "SessionEvent schema; keep-alive comments in between.";

    private final IndexView index;

    /** Built by SmallRye OpenAPI with the application's index. */
    public ApiDocumentFilter(IndexView index) {
        this.index = index;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        JsonSchemas schemas = new JsonSchemas(index, components);
        schemas.addUnion(SessionEvent.class.getName(), EVENT_UNION, "Event");
        schemas.addUnion(ContentPart.class.getName(), "ContentPart", "Part");
        addLabel(components, "Session");
        addLabel(components, "SessionSummary");
        ProblemResponses problems = new ProblemResponses(schemas.recordRef(Problem.class.getName()));
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
                for (Operation operation : path.getValue().getOperations().values()) {
                    problems.document(path.getKey(), operation);
                    documentEventStream(operation);
                }
            }
        }
        dropUnreferenced(openAPI);
    }

    /** The derived display label the API's JSON adds to sessions and summaries (§8.3; {@code config/Json}). */
    private static void addLabel(Components components, String schemaName) {
        if (components.getSchemas() == null || !components.getSchemas().containsKey(schemaName)) {
            return;
        }
        components.getSchemas().get(schemaName).addProperty("label", OASFactory.createSchema()
                .addType(Schema.SchemaType.STRING).readOnly(true)
                .description("Display label: the title, else the first 8 characters of the id, else `new`"));
    }

    private static void documentEventStream(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        for (Map.Entry<String, APIResponse> response : operation.getResponses().getAPIResponses().entrySet()) {
            if (response.getValue().getContent() == null || !response.getKey().startsWith("2")) {
                continue;
            }
            MediaType stream = response.getValue().getContent().getMediaType(EVENT_STREAM);
            if (stream != null) {
                stream.setSchema(JsonSchemas.ref(EVENT_UNION));
                response.getValue().setDescription(response.getValue().getContent().getMediaTypes().size() == 1
                        ? STREAM_DESCRIPTION
                        : response.getValue().getDescription() + ". With `Accept: text/event-stream`: "
                                + STREAM_DESCRIPTION);
            }
        }
    }

    /**
     * Removes component schemas nothing refers to any more (the scanner's {@code OutboundSseEvent}). SmallRye's own
     * pass runs before the application's filters, so it is applied again here.
     */
    private static void dropUnreferenced(OpenAPI openAPI) {
        FilterUtil.applyFilter(new UnusedSchemaFilter(), openAPI);
    }
}
