package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The datasource is active exactly for {@code tether.store.kind=postgres}, unless set explicitly. */
class StoreKindActivationTest {

    private static boolean active(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new StoreKindActivation()).build();
        return config.getValue(StoreKindActivation.DATASOURCE_ACTIVE, Boolean.class);
    }

    @Test
    void onlyThePostgresStoreActivatesTheDatasource() {
        assertEquals(false, active(Map.of()), "the default file store");
        assertEquals(false, active(Map.of("tether.store.kind", "file",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db/tether")), "a URL alone does not connect");
        assertEquals(true, active(Map.of("tether.store.kind", "postgres")));
        assertEquals(true, active(Map.of("tether.store.kind", " POSTGRES ")));
    }

    @Test
    void anExplicitSettingWins() {
        assertEquals(true, active(Map.of("tether.store.kind", "file", "quarkus.datasource.active", "true")));
        assertEquals(false, active(Map.of("tether.store.kind", "postgres", "quarkus.datasource.active", "false")));
    }
}
