package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tether.codex.home} as the service resolves it (README): the key, else {@code $CODEX_HOME}, else
 * {@code ~/.codex}; an empty value counts as unset. Built on the real {@code application.properties} with SmallRye's
 * expression expansion; the variables stand in for the environment and the JVM's {@code user.home}.
 */
class CodexHomeConfigTest {

    private static Path home(Map<String, String> environment) throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("user.home", "/home/u");
        URL properties = CodexHomeConfigTest.class.getClassLoader().getResource("application.properties");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 100, new DurationConverter()) // as Quarkus reads "10s"
                .withMapping(TetherConfig.class)
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new PropertiesConfigSource(env, "environment", 300))
                .build();
        return config.getConfigMapping(TetherConfig.class).codex().resolvedHome();
    }

    @Test
    void keyWinsOverCodexHome() throws IOException {
        assertEquals(Path.of("/cfg"), home(Map.of("tether.codex.home", "/cfg", "CODEX_HOME", "/env")));
    }

    @Test
    void codexHomeWhenTheKeyIsUnset() throws IOException {
        assertEquals(Path.of("/env"), home(Map.of("CODEX_HOME", "/env")));
    }

    @Test
    void dotCodexInTheUserHomeWhenUnsetOrEmpty() throws IOException {
        assertEquals(Path.of("/home/u/.codex"), home(Map.of()));
        assertEquals(Path.of("/home/u/.codex"), home(Map.of("CODEX_HOME", "")));
        assertEquals(Path.of("/home/u/.codex"), home(Map.of("CODEX_HOME", "  ")));
        assertEquals(Path.of("/home/u/.codex"), home(Map.of("tether.codex.home", "", "CODEX_HOME", "/env")));
        assertEquals(Path.of("/elsewhere"), home(Map.of("tether.codex.default-home", "/elsewhere")));
    }
}
