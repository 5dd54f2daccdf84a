package dev.tether.provider.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.provider.ProviderErrors;
import dev.tether.provider.ProviderException;
import jakarta.ws.rs.core.Response;

/**
 * The non-2xx answers of provider APIs as classified {@link ProviderException}s: what the REST clients'
 * {@link ProviderErrorMapper} returns, for streamed and non-streamed calls alike (JSON error body, vendor code,
 * {@code Retry-After}/{@code retry-after-ms}).
 */
public final class ErrorResponses {

    private static final ObjectMapper JSON = Json.internal(Json.mapper());

    private ErrorResponses() {
    }

    /** The classified error of a non-2xx {@code response} of {@code provider}. */
    public static ProviderException toException(String provider, Response response) {
        String body;
        try {
            body = response.readEntity(String.class);
        } catch (RuntimeException e) {
            body = ""; // no readable body: classified by status and headers alone
        }
        return ProviderErrors.fromResponse(JSON, provider, response.getStatus(), response::getHeaderString, body);
    }
}
