package dev.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mapping from configuration keys to env var names that {@link DeployManifestsTest} checks manifests with. */
class ConfigEnvNamesTest {

    private static ConfigEnvNames names;

    @BeforeAll
    static void read() throws IOException {
        names = new ConfigEnvNames(Path.of("src/main/resources/application.properties"));
    }

    @Test
    void methodNamesBecomeKebabKeysAndKeysBecomeEnvNames() {
        assertEquals("max-session-bytes", ConfigEnvNames.kebab("maxSessionBytes"));
        assertEquals("data-dir", ConfigEnvNames.kebab("dataDir"));
        assertEquals("TETHER_PROVIDERS_OPENAI_API_KEY", ConfigEnvNames.envName("tether.providers.openai.api-key"));
    }

    @Test
    void keysOfTheMappingNestedGroupsAndExternalNamesAreKnown() {
        for (String known : List.of("TETHER_DATA_DIR", "TETHER_DEFAULT_MODEL", "TETHER_WORKSPACE_ROOT",
                "TETHER_AUTH_TOKEN", "TETHER_AUTH_TOKEN_FILE", "TETHER_STORE_SNAPSHOT_EVERY",
                "TETHER_PROVIDERS_OPENAI_API_KEY", "TETHER_PROVIDERS_ANTHROPIC_STREAM_IDLE_TIMEOUT",
                "TETHER_TOOLS_BASH_ENABLED", "TETHER_CODEX_HOME",
                "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "CODEX_HOME", "QUARKUS_HTTP_HOST", "QUARKUS_HTTP_PORT")) {
            assertTrue(names.exactNames().contains(known), known);
        }
        assertTrue(names.isKnown("TETHER_AGENT_INSTRUCTIONS_BUILD"), "map entry");
        assertTrue(names.isKnown("TETHER_PROVIDERS_OPENAI_HEADERS_HTTP_REFERER"), "map entry");
        assertTrue(names.isKnown("TETHER_STORE_KIND"), "an enum key");
        assertTrue(names.isKnown("QUARKUS_DATASOURCE_PASSWORD"), "the datasource keys the postgres overlay sets");
        assertFalse(names.exactNames().contains("TETHER_AUTH"), "a group is not a key");
        assertFalse(names.exactNames().contains("TETHER_PROVIDERS_OPENAI"), "a group is not a key");
    }

    @Test
    void misspeltNamesAreRejected() {
        for (String misspelt : List.of("TETHER_DATA_DRI", "TETHER_DATADIR", "TETHER_AUTH_TOKENS", "TETHER_WORKSPACE",
                "TETHER_STORE_KINDS", "QUARKUS_DATASOURCE_URL",
                "TETHER_AGENT_INSTRUCTIONS_", // a map without an entry name
                "QUARKUS_HTTP_HOSTS", "OPENAI_APIKEY", "TETHER_OPENAI_API_KEY")) {
            assertFalse(names.isKnown(misspelt), misspelt);
        }
    }
}
