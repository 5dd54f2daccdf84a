package dev.tether.provider;

import static dev.tether.provider.ProviderException.Kind.CONTEXT_LENGTH;
import static dev.tether.provider.ProviderException.Kind.FATAL;
import static dev.tether.provider.ProviderException.Kind.RETRYABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.provider.ProviderException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProviderErrorsTest {

    /** What a provider parses error bodies with. */
    private static final ObjectMapper JSON = Json.internal(Json.mapper());

    /** Spec §3.7 row by row: status, vendor code, vendor type, message → class. Empty cells are null. */
    @ParameterizedTest(name = "{0} {1} {2} \"{3}\" -> {4}")
    @CsvSource(delimiter = '|', nullValues = "", textBlock = """
            413 |                         |                       | too big                                  | CONTEXT_LENGTH
            400 | context_length_exceeded |                       | whatever                                 | CONTEXT_LENGTH
            400 |                         | invalid_request_error | prompt is too long: 210000 tokens > 200000 | CONTEXT_LENGTH
            400 |                         |                       | This model's maximum context length is 8192 | CONTEXT_LENGTH
            400 |                         |                       | exceeds the Context Window of the model  | CONTEXT_LENGTH
            400 |                         |                       | input exceeds maximum context            | CONTEXT_LENGTH
            400 |                         |                       | prompt has 9000 tokens, the maximum is 8192 | CONTEXT_LENGTH
            500 |                         |                       | context length exceeded                  | CONTEXT_LENGTH
            0   |                         | overloaded_error      | prompt is too long                       | CONTEXT_LENGTH
            400 |                         |                       | tokens over the maximum                  | FATAL
            408 |                         |                       | request timeout                          | RETRYABLE
            429 | rate_limit_exceeded     | requests              | Rate limit reached                       | RETRYABLE
            500 |                         | server_error          | oops                                     | RETRYABLE
            502 |                         |                       | bad gateway                              | RETRYABLE
            503 |                         |                       | unavailable                              | RETRYABLE
            529 |                         | overloaded_error      | Overloaded                               | RETRYABLE
            0   |                         | overloaded_error      | Overloaded                               | RETRYABLE
            0   |                         | rate_limit_error      | slow down                                | RETRYABLE
            0   |                         | api_error             | internal                                 | RETRYABLE
            0   | server_error            |                       | internal                                 | RETRYABLE
            0   |                         |                       | connection reset by peer                 | RETRYABLE
            0   |                         |                       | Broken pipe                              | RETRYABLE
            0   |                         |                       | read timed out                           | RETRYABLE
            400 |                         | invalid_request_error | messages: field required                 | FATAL
            401 |                         | authentication_error  | invalid x-api-key                        | FATAL
            403 |                         | permission_error      | forbidden                                | FATAL
            404 |                         | not_found_error       | model not found                          | FATAL
            422 |                         |                       | unprocessable                            | FATAL
            418 |                         | overloaded_error      | teapot                                   | FATAL
            0   |                         | invalid_request_error | bad                                      | FATAL
            """)
    void classifiesEveryRow(int status, String code, String type, String message, Kind expected) {
        assertEquals(expected, ProviderErrors.classify(status, code, type, message));
    }

    @Test
    void transportFailures() {
        assertEquals(RETRYABLE, ProviderErrors.fromTransport("p", new ConnectException("Connection refused")).kind());
        assertEquals(RETRYABLE, ProviderErrors.fromTransport("p", new SocketException("Connection reset")).kind());
        assertEquals(RETRYABLE, ProviderErrors.fromTransport("p", new SocketTimeoutException("x")).kind());
        assertEquals(RETRYABLE, ProviderErrors.fromTransport("p", new TimeoutException("x")).kind());
        assertEquals(RETRYABLE, ProviderErrors.fromTransport("p", new IOException("Broken pipe")).kind());
        assertEquals(RETRYABLE, ProviderErrors.fromTransport("p",
                new RuntimeException("wrapped", new IOException("Connection was closed"))).kind());
        assertEquals(FATAL, ProviderErrors.fromTransport("p",
                new javax.net.ssl.SSLHandshakeException("bad cert")).kind());
        assertEquals(FATAL, ProviderErrors.fromTransport("p", new IllegalArgumentException("bad url")).kind());
        assertEquals(FATAL, ProviderErrors.missingCredentials("openai", "OPENAI_API_KEY").kind());
    }

    @Test
    void openAiBodyParsed() {
        ProviderException e = ProviderErrors.fromResponse(JSON, "openai", 400, h -> null,
                "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}");
        assertEquals(CONTEXT_LENGTH, e.kind());
        assertEquals(400, e.httpStatus());
        assertEquals("context_length_exceeded", e.vendorCode().orElseThrow());
        assertTrue(e.getMessage().contains("maximum context length"));
    }

    @Test
    void anthropicBodyParsed() {
        ProviderException e = ProviderErrors.fromResponse(JSON, "anthropic", 529, h -> null,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        assertEquals(RETRYABLE, e.kind());
        assertEquals("overloaded_error", e.vendorCode().orElseThrow());
        assertEquals("anthropic: Overloaded", e.getMessage());
    }

    @Test
    void nonJsonBodyKeptAsMessage() {
        ProviderException e = ProviderErrors.fromResponse(JSON, "openai", 502, h -> null, "<html>Bad gateway</html>");
        assertEquals(RETRYABLE, e.kind());
        assertTrue(e.getMessage().contains("Bad gateway"));
    }

    @Test
    void retryAfterSources() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        Map<String, String> ms = Map.of("retry-after-ms", "1500", "retry-after", "9");
        assertEquals(Duration.ofMillis(1500), ProviderErrors.retryAfter(ms::get, null, now));
        Map<String, String> secs = Map.of("retry-after", "7");
        assertEquals(Duration.ofSeconds(7), ProviderErrors.retryAfter(secs::get, 3.0, now));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(30).atOffset(ZoneOffset.UTC));
        Map<String, String> dated = Map.of("retry-after", date);
        assertEquals(Duration.ofSeconds(30), ProviderErrors.retryAfter(dated::get, null, now));
        Map<String, String> past = Map.of("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT");
        assertEquals(Duration.ZERO, ProviderErrors.retryAfter(past::get, null, now));
        assertEquals(Duration.ofMillis(2500), ProviderErrors.retryAfter(h -> null, 2.5, now));
        assertNull(ProviderErrors.retryAfter(h -> null, null, now));
        Map<String, String> junk = Map.of("retry-after", "soon");
        assertNull(ProviderErrors.retryAfter(junk::get, null, now));
    }

    @Test
    void vendorRetryAfterInBody() {
        ProviderException e = ProviderErrors.fromResponse(JSON, "openai", 429, h -> null,
                "{\"error\":{\"message\":\"slow\",\"type\":\"requests\",\"retry_after\":4}}");
        assertEquals(Duration.ofSeconds(4), e.retryAfter().orElseThrow());
    }
}
