package dev.tether.testing;

import dev.tether.config.TetherConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;

/**
 * {@link TetherConfig} with nothing set: every key at its {@code @WithDefault}, for tests without Quarkus that need
 * the service's defaults (so that they are written in one place only).
 */
public final class ConfigDefaults {

    private static final TetherConfig DEFAULTS = build();

    private ConfigDefaults() {
    }

    public static TetherConfig tether() {
        return DEFAULTS;
    }

    private static TetherConfig build() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(TetherConfig.class)
                .build();
        return config.getConfigMapping(TetherConfig.class);
    }
}
