package dev.tether.testing;

import dev.tether.config.TetherConfig;
import dev.tether.session.store.StoreSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;

/**
 * The store settings of {@code tether.store.*} as the service gets them with nothing configured: built from the
 * {@code @WithDefault}s of {@link TetherConfig} (the one place the defaults are written), for tests that open a store
 * without CDI.
 */
public final class StoreDefaults {

    private static final StoreSettings SETTINGS = load();

    private StoreDefaults() {
    }

    public static StoreSettings settings() {
        return SETTINGS;
    }

    private static StoreSettings load() {
        // durations as Quarkus reads them ("60s"): its converter, as in the service
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TetherConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).withValidateUnknown(false).build();
        return StoreSettings.from(config.getConfigMapping(TetherConfig.class).store());
    }
}
