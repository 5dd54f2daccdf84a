package dev.tether.provider.http;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Map;

/**
 * Adds a provider's fixed headers to every request: the configured extra headers and the credentials. Values are
 * never logged (REST client request logging stays off for provider clients).
 */
final class RequestHeaders implements ClientRequestFilter {

    private final Map<String, String> headers;

    RequestHeaders(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    @Override
    public void filter(ClientRequestContext request) {
        headers.forEach((name, value) -> request.getHeaders().putSingle(name, value));
    }
}
