package dev.tether.provider;

import dev.tether.config.TetherConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The resolved settings of one provider endpoint, taken from {@link TetherConfig.Provider} (or built directly in
 * tests). {@link #toString()} never shows the key.
 *
 * @param noTemperatureModels case-insensitive substrings of model ids that reject {@code temperature}
 */
public record ProviderSettings(String baseUrl, String apiKey, String defaultModel, Map<String, String> headers,
                               Duration connectTimeout, Duration requestTimeout, List<String> noTemperatureModels,
                               Duration streamIdleTimeout) {

    /** Reasoning models of OpenAI reject {@code temperature}; used when the config key is unset. */
    public static final List<String> DEFAULT_NO_TEMPERATURE_MODELS = List.of("o1", "o3", "o4-mini", "gpt-5");

    public ProviderSettings {
        baseUrl = blankToNull(baseUrl);
        apiKey = blankToNull(apiKey);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(300) : requestTimeout;
        streamIdleTimeout = streamIdleTimeout == null ? Provider.DEFAULT_STREAM_IDLE_TIMEOUT : streamIdleTimeout;
        noTemperatureModels = noTemperatureModels == null ? DEFAULT_NO_TEMPERATURE_MODELS
                : List.copyOf(noTemperatureModels);
    }

    /** Settings for a base URL and key with defaults for everything else. */
    public static ProviderSettings of(String baseUrl, String apiKey) {
        return new ProviderSettings(baseUrl, apiKey, null, Map.of(), null, null, null, null);
    }

    public static ProviderSettings from(TetherConfig.Provider config) {
        return new ProviderSettings(config.baseUrl().orElse(null), config.apiKey().orElse(null),
                config.defaultModel().orElse(null), config.headers(), config.connectTimeout(),
                config.requestTimeout(), config.noTemperatureModels().orElse(null), config.streamIdleTimeout());
    }

    /** The model used when only the provider is named: the configured one, else {@code builtIn}. */
    public String defaultModelOr(String builtIn) {
        return defaultModel == null || defaultModel.isBlank() ? builtIn : defaultModel;
    }

    /** Base URL set and, unless it points at loopback, a key present (spec: local servers need no key). */
    public boolean isConfigured() {
        if (baseUrl == null) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        return apiKey != null || isLoopback(uri.getHost());
    }

    /** Whether the base URL points at this machine. */
    public boolean isLoopbackUrl() {
        try {
            URI uri = URI.create(baseUrl);
            return uri.getHost() != null && isLoopback(uri.getHost());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        // Only literal addresses are checked: resolving names here would block on DNS.
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (Exception e) {
                return false;
            }
        }
        return false;
    }

    /** Whether {@code temperature} must be left out for this model. */
    public boolean omitsTemperature(String model) {
        if (model == null) {
            return false;
        }
        String m = model.toLowerCase(Locale.ROOT);
        return noTemperatureModels.stream().anyMatch(s -> !s.isBlank() && m.contains(s.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return "ProviderSettings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", defaultModel=" + defaultModel + ", headers=" + headers.keySet() + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
