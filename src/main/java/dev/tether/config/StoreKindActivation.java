package dev.tether.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives {@code quarkus.datasource.active} from {@code tether.store.kind}: the datasource (and with it Flyway and the
 * datasource's readiness check) is active only for {@code kind=postgres}, so the default file store never connects to
 * a database nor pays for a pool at start. The derived value has the lowest ordinal: an explicit
 * {@code quarkus.datasource.active} anywhere wins. Registered through {@code META-INF/services}.
 */
public final class StoreKindActivation implements ConfigSourceFactory {

    static final String DATASOURCE_ACTIVE = "quarkus.datasource.active";
    private static final String STORE_KIND = "tether.store.kind";
    /** Below every real source (application.properties is 250, defaults 100). */
    private static final int ORDINAL = 10;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue kind = context.getValue(STORE_KIND);
        boolean postgres = kind != null && kind.getValue() != null
                && TetherConfig.StoreKind.POSTGRES.name().equals(kind.getValue().trim().toUpperCase(Locale.ROOT));
        return java.util.List.of(new PropertiesConfigSource(Map.of(DATASOURCE_ACTIVE, Boolean.toString(postgres)),
                "tether-store-kind", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
