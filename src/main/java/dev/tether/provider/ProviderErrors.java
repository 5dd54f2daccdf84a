package dev.tether.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.ProviderException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The classification of failed provider calls (spec §3.7): pure functions from what arrived (status, vendor
 * code/type, message, transport exception) to a {@link Kind}, plus the parsing of vendor error bodies and server
 * delays. Context length is checked first, so a 400 of that kind is not fatal.
 */
public final class ProviderErrors {


    private static final Set<String> CONTEXT_CODES = Set.of("context_length_exceeded");
    private static final String[] CONTEXT_PHRASES = {"prompt is too long", "context length", "maximum context",
            "context window"};
    private static final Set<String> RETRYABLE_TYPES = Set.of("overloaded_error", "rate_limit_error", "api_error",
            "server_error", "rate_limit_exceeded", "overloaded", "timeout", "internal_server_error");
    private static final String[] RETRYABLE_PHRASES = {"timed out", "timeout", "connection refused",
            "connection reset", "connection closed", "connection was closed", "broken pipe", "empty response"};

    private ProviderErrors() {
    }

    /**
     * Classifies a failure. {@code status} is 0 when no HTTP status applies (an error inside a stream); the other
     * arguments may be null.
     */
    public static Kind classify(int status, String vendorCode, String vendorType, String message) {
        String code = lower(vendorCode);
        String type = lower(vendorType);
        String msg = lower(message);
        if (status == 413 || CONTEXT_CODES.contains(code) || CONTEXT_CODES.contains(type) || isContextMessage(msg)) {
            return Kind.CONTEXT_LENGTH;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return Kind.RETRYABLE;
        }
        if (status >= 400) {
            return Kind.FATAL;
        }
        if (RETRYABLE_TYPES.contains(code) || RETRYABLE_TYPES.contains(type)) {
            return Kind.RETRYABLE;
        }
        for (String phrase : RETRYABLE_PHRASES) {
            if (msg.contains(phrase)) {
                return Kind.RETRYABLE;
            }
        }
        return Kind.FATAL;
    }

    static boolean isContextMessage(String msg) {
        for (String phrase : CONTEXT_PHRASES) {
            if (msg.contains(phrase)) {
                return true;
            }
        }
        return msg.contains("tokens") && msg.contains("maximum") && msg.contains("prompt");
    }

    /**
     * A non-2xx response: parses the vendor error body (OpenAI {@code {"error":{message,type,code}}}, Anthropic
     * {@code {"type":"error","error":{type,message}}}, or a bare string) and the server delay.
     *
     * @param json   the provider's mapper, to parse the body
     * @param header case-insensitive lookup of a response header, returning null when absent
     */
    public static ProviderException fromResponse(ObjectMapper json, String provider, int status,
                                                 Function<String, String> header, String body) {
        VendorError err = parseBody(json, body);
        String message = err.message() != null && !err.message().isBlank() ? err.message()
                : "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip(), 300));
        Kind kind = classify(status, err.code(), err.type(), message);
        Duration retryAfter = retryAfter(header, err.retryAfterSeconds(), Instant.now());
        String vendor = err.code() != null ? err.code() : err.type();
        return new ProviderException(kind, status, vendor, provider + ": " + message, retryAfter, null);
    }

    /** An error reported inside a stream (Anthropic {@code error} event, an OpenAI-compatible error chunk). */
    public static ProviderException fromStreamError(String provider, JsonNode error) {
        VendorError err = vendorError(error);
        int status = error != null && error.path("code").isInt() ? error.path("code").asInt() : 0;
        String message = err.message() == null || err.message().isBlank() ? "error in stream" : err.message();
        Kind kind = classify(status, err.code(), err.type(), message);
        Duration retryAfter = err.retryAfterSeconds() == null ? null : seconds(err.retryAfterSeconds());
        String vendor = err.code() != null ? err.code() : err.type();
        return new ProviderException(kind, status, vendor, provider + ": " + message, retryAfter, null);
    }

    /**
     * A transport failure: timeouts, refused, reset or closed connections and broken pipes are retryable; anything
     * else (TLS handshake, bad URL) is fatal.
     */
    public static ProviderException fromTransport(String provider, Throwable failure) {
        if (failure instanceof ProviderException pe) {
            return pe;
        }
        Kind kind = isRetryableTransport(failure) ? Kind.RETRYABLE : Kind.FATAL;
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new ProviderException(kind, 0, null, provider + ": " + detail, null, failure);
    }

    /** Whether a transport exception (or one of its causes) is a retryable network condition. */
    public static boolean isRetryableTransport(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return false;
            }
            if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof ClosedChannelException || t instanceof SocketException) {
                return true;
            }
            String simple = t.getClass().getSimpleName();
            if (simple.equals("HttpClosedException") || simple.equals("NoStackTraceTimeoutException")
                    || simple.equals("ConnectTimeoutException") || simple.equals("StreamResetException")) {
                return true;
            }
            String msg = lower(t.getMessage());
            for (String phrase : RETRYABLE_PHRASES) {
                if (msg.contains(phrase)) {
                    return true;
                }
            }
            if (t instanceof IOException && msg.contains("closed")) {
                return true;
            }
        }
        return false;
    }

    /** A provider that would be called without the key it needs. */
    public static ProviderException missingCredentials(String provider, String keyVariable) {
        return new ProviderException(Kind.FATAL, 0, "missing_credentials",
                provider + ": no API key configured (set " + keyVariable + ")", null, null);
    }

    /**
     * The server-suggested delay: {@code retry-after-ms}, else {@code Retry-After} (seconds or HTTP date), else the
     * vendor body's {@code retry_after} seconds. Unclamped; null when none.
     */
    public static Duration retryAfter(Function<String, String> header, Double bodySeconds, Instant now) {
        String ms = header.apply("retry-after-ms");
        if (ms != null) {
            try {
                double v = Double.parseDouble(ms.trim());
                if (v >= 0 && Double.isFinite(v)) {
                    return Duration.ofNanos((long) (v * 1_000_000L));
                }
            } catch (NumberFormatException ignored) {
                // fall through to the other sources
            }
        }
        String ra = header.apply("retry-after");
        if (ra != null) {
            Duration d = parseRetryAfter(ra, now);
            if (d != null) {
                return d;
            }
        }
        return bodySeconds == null ? null : seconds(bodySeconds);
    }

    /** {@code Retry-After}: delta seconds (decimals tolerated) or an HTTP date; a past date is zero. */
    public static Duration parseRetryAfter(String value, Instant now) {
        String v = value.trim();
        try {
            return seconds(Double.parseDouble(v));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static Duration seconds(double s) {
        if (!Double.isFinite(s) || s < 0) {
            return null;
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    /** The fields of a vendor error body. */
    record VendorError(String type, String code, String message, Double retryAfterSeconds) {
    }

    static VendorError parseBody(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return new VendorError(null, null, null, null);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException notJson) {
            return new VendorError(null, null, abbreviate(body.strip(), 500), null);
        }
        if (root == null || !root.isObject()) {
            return new VendorError(null, null, abbreviate(body.strip(), 500), null);
        }
        JsonNode error = root.get("error");
        VendorError inner;
        if (error != null && error.isObject()) {
            inner = vendorError(error);
        } else if (error != null && error.isTextual()) {
            inner = new VendorError(null, null, error.asText(), null);
        } else {
            inner = vendorError(root);
        }
        Double retry = inner.retryAfterSeconds() != null ? inner.retryAfterSeconds() : number(root.get("retry_after"));
        return new VendorError(inner.type(), inner.code(), inner.message(), retry);
    }

    static VendorError vendorError(JsonNode error) {
        if (error == null || !error.isObject()) {
            return new VendorError(null, null, error == null ? null : error.asText(), null);
        }
        String type = text(error.get("type"));
        if ("error".equals(type)) {
            type = null;
        }
        JsonNode codeNode = error.get("code");
        String code = codeNode != null && codeNode.isTextual() ? codeNode.asText() : null;
        String message = text(error.get("message"));
        if (message == null) {
            message = text(error.get("detail"));
        }
        return new VendorError(type, code, message, number(error.get("retry_after")));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }

    private static Double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
