package dev.tether.provider.http;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The non-streamed call every provider API shares: POST the request as JSON text, get one JSON answer. A {@code Uni}
 * rather than a blocking method: cancelling it resets the HTTP request (closing its connection), which the blocking
 * REST client call does not do when its thread is interrupted (it only stops waiting).
 * Each upstream API's {@code @RegisterRestClient} interface extends it with its path ({@link ProviderErrorMapper},
 * registered by {@link HttpProvider}, maps its errors). Bodies travel as text (wire formats are JSON trees): nothing reflective to register
 * for native.
 */
public interface CompletionApi {

    /** One JSON answer; a non-2xx status fails with the interface's mapped {@code ProviderException}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> complete(String body);
}
