package dev.tether.provider.http;

import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * A non-2xx answer of a provider's REST client as a classified {@code ProviderException} (vendor error,
 * {@code Retry-After}): registered on each client that {@link HttpProvider} builds, so no API interface repeats it.
 */
final class ProviderErrorMapper implements ResponseExceptionMapper<RuntimeException> {

    private final String provider;

    ProviderErrorMapper(String provider) {
        this.provider = provider;
    }

    @Override
    public RuntimeException toThrowable(Response response) {
        return ErrorResponses.toException(provider, response);
    }
}
