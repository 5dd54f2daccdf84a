package dev.tether.api.openapi;

import dev.tether.api.Problem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the errors of the API as they leave {@code ProblemMapper}: every 4xx/5xx response of an operation is
 * {@code application/problem+json} with the {@code Problem} schema, and every operation lists the errors any API call
 * can meet. A resource method therefore only declares the errors particular to it, by status and description
 * ({@code @APIResponse(responseCode = "409", description = "…")}); the body is added here.
 *
 * <p>Note for such a method: once it declares any {@code @APIResponse}, SmallRye no longer generates its success
 * response; declare that too ({@code @APIResponse(responseCode = "200", description = "…")}: the body schema is then
 * filled in from the return type; for another status give the {@code content}). A method with no particular error
 * needs only its {@code @Operation}.
 */
final class ProblemResponses {

    /** Errors every {@code /api} call can answer, with what they mean there. */
    private static final Map<String, String> EVERY_CALL = Map.of(
            "400", "Invalid request: malformed JSON, an invalid parameter or session id",
            "401", "Missing or invalid bearer token (when tether.auth.token is set)",
            "500", "Internal error; the detail never carries a stack trace",
            "503", "The session store is unavailable");
    /** Errors of the calls on one session ({@code /api/sessions/{id}…}). */
    private static final Map<String, String> SESSION_CALL = Map.of("404", "Session not found");

    private final Schema problem;

    ProblemResponses(Schema problem) {
        this.problem = problem;
    }

    void document(String path, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        Map<String, String> defaults = new LinkedHashMap<>(EVERY_CALL);
        if (path.contains("{id}")) {
            defaults.putAll(SESSION_CALL);
        }
        defaults.forEach((status, description) -> {
            if (!responses.hasAPIResponse(status)) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
            }
        });
        for (Map.Entry<String, APIResponse> e : sorted(responses).entrySet()) {
            if (isError(e.getKey())) {
                APIResponse response = e.getValue();
                if (response.getDescription() == null || response.getDescription().isBlank()) {
                    response.setDescription(EVERY_CALL.getOrDefault(e.getKey(), "Error"));
                }
                Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(problem));
                response.setContent(content);
            }
        }
    }

    /** Responses ordered by status code, so the document reads in order whatever declared them. */
    private static Map<String, APIResponse> sorted(APIResponses responses) {
        Map<String, APIResponse> sorted = new java.util.TreeMap<>(responses.getAPIResponses());
        responses.setAPIResponses(new LinkedHashMap<>(sorted));
        return responses.getAPIResponses();
    }

    static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }
}
