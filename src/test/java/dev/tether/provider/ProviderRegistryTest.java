package dev.tether.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.provider.anthropic.AnthropicProvider;
import dev.tether.provider.openai.OpenAiProvider;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Selector rules of spec §11.1 over real provider instances (no network is touched). */
class ProviderRegistryTest {

    static final Vertx vertx = Vertx.vertx();

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static Provider openai(String baseUrl, String key) {
        return new OpenAiProvider(ProviderSettings.of(baseUrl, key), vertx);
    }

    static Provider anthropic(String baseUrl, String key) {
        return new AnthropicProvider(ProviderSettings.of(baseUrl, key), vertx);
    }

    static final Provider OPENAI = openai("https://api.openai.com/v1", "sk");
    static final Provider ANTHROPIC = anthropic("https://api.anthropic.com", "ak");
    static final Provider OPENAI_OFF = openai("https://api.openai.com/v1", null);
    static final Provider ANTHROPIC_OFF = anthropic("https://api.anthropic.com", null);

    static ProviderRegistry registry(Optional<String> defaultProvider, Provider... providers) {
        return new ProviderRegistry(List.of(providers), defaultProvider, "openai/gpt-4o");
    }

    static ProviderRegistry both() {
        // Given in reverse order: preference (openai, anthropic) must not depend on discovery order.
        return registry(Optional.empty(), ANTHROPIC, OPENAI);
    }

    @Test
    void providerSlashModelSplitsAtTheFirstSlash() {
        ResolvedModel m = both().resolve("openai/meta-llama/Llama-3-8b");
        assertEquals("openai", m.provider().name());
        assertEquals("meta-llama/Llama-3-8b", m.modelId());
        assertEquals("openai/meta-llama/Llama-3-8b", m.selector());
        assertEquals("claude-3-5-haiku-latest", both().resolve("anthropic/claude-3-5-haiku-latest").modelId());
    }

    @Test
    void unknownOrUnconfiguredNamedProviderIsAnError() {
        UnknownProviderException e = assertThrows(UnknownProviderException.class,
                () -> both().resolve("openrouter/openai/gpt-5"));
        assertEquals("Unknown provider: openrouter", e.getMessage());
        assertEquals(400, e.status());
        ProviderRegistry onlyOpenai = registry(Optional.empty(), OPENAI, ANTHROPIC_OFF);
        assertEquals("Unknown provider: anthropic",
                assertThrows(UnknownProviderException.class, () -> onlyOpenai.resolve("anthropic/claude-x")).getMessage());
        assertEquals("Unknown provider: anthropic",
                assertThrows(UnknownProviderException.class, () -> onlyOpenai.resolve("anthropic")).getMessage());
    }

    @Test
    void bareProviderNameSelectsItsDefaultModel() {
        assertEquals("gpt-4o", both().resolve("openai").modelId());
        ResolvedModel a = both().resolve("anthropic");
        assertEquals("anthropic", a.provider().name());
        assertEquals("claude-sonnet-4-20250514", a.modelId());
        Provider custom = new AnthropicProvider(new ProviderSettings("https://api.anthropic.com", "ak",
                "claude-opus-4-1", Map.of(), null, null, null, null), vertx);
        assertEquals("claude-opus-4-1", registry(Optional.empty(), custom).resolve("anthropic").modelId());
        assertEquals("claude-opus-4-1", registry(Optional.empty(), custom).resolve("anthropic/").modelId());
    }

    @Test
    void bareModelGoesToTheDefaultProvider() {
        ResolvedModel m = both().resolve("gpt-4o-mini");
        assertEquals("openai", m.provider().name());
        assertEquals("gpt-4o-mini", m.modelId());
        assertEquals("anthropic",
                registry(Optional.empty(), OPENAI_OFF, ANTHROPIC).resolve("claude-x").provider().name());
        assertEquals("anthropic",
                registry(Optional.of("anthropic"), OPENAI, ANTHROPIC).resolve("claude-x").provider().name());
        assertEquals("Unknown provider: anthropic", assertThrows(UnknownProviderException.class,
                () -> registry(Optional.of("anthropic"), OPENAI, ANTHROPIC_OFF).resolve("claude-x")).getMessage());
    }

    @Test
    void blankSelectorMeansTheServiceDefault() {
        ResolvedModel m = both().resolve(null);
        assertEquals("openai/gpt-4o", m.selector());
        assertEquals("openai/gpt-4o", both().resolve("  ").selector());
    }

    @Test
    void noProviderConfiguredIsA503NamingTheKeys() {
        ProviderRegistry none = registry(Optional.empty(), OPENAI_OFF, ANTHROPIC_OFF);
        assertFalse(none.anyConfigured());
        ProviderNotConfiguredException e = assertThrows(ProviderNotConfiguredException.class,
                () -> none.resolve("openai/gpt-4o"));
        assertEquals(503, e.status());
        for (String key : List.of("TETHER_PROVIDERS_OPENAI_API_KEY", "OPENAI_API_KEY",
                "TETHER_PROVIDERS_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY", "TETHER_PROVIDERS_OPENAI_BASE_URL")) {
            assertTrue(e.getMessage().contains(key), key);
        }
        assertThrows(ProviderNotConfiguredException.class, () -> none.resolve("gpt-4o"));
    }

    @Test
    void loopbackServersNeedNoKey() {
        assertTrue(openai("http://127.0.0.1:11434/v1", null).isConfigured());
        assertTrue(openai("http://localhost:1234/v1", null).isConfigured());
        assertTrue(openai("http://[::1]:8000/v1", null).isConfigured());
        assertFalse(openai("http://10.0.0.5:8000/v1", null).isConfigured());
        assertFalse(openai("https://api.openai.com/v1", "  ").isConfigured());
        assertFalse(openai(null, "sk").isConfigured());
        assertFalse(openai("not a url", "sk").isConfigured());
        assertTrue(openai("https://openrouter.ai/api/v1", "sk").isConfigured());
    }

    @Test
    void settingsNeverPrintTheKey() {
        assertFalse(ProviderSettings.of("https://x", "sk-very-secret").toString().contains("sk-very-secret"));
    }

    @Test
    void readinessListsConfiguredProvidersOrIsDown() {
        HealthCheckResponse up = new ProviderConfiguredCheck(both()).call();
        assertEquals(HealthCheckResponse.Status.UP, up.getStatus());
        assertEquals("openai,anthropic", up.getData().orElseThrow().get("configured"));
        HealthCheckResponse down = new ProviderConfiguredCheck(
                registry(Optional.empty(), OPENAI_OFF, ANTHROPIC_OFF)).call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertTrue(down.getData().orElseThrow().get("error").toString().contains("OPENAI_API_KEY"));
    }
}
