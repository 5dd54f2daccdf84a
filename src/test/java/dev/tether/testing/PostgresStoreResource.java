package dev.tether.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs a {@code @QuarkusTest} application on the PostgreSQL store, in a {@link PostgresSchema} of its own (created
 * and migrated before the application starts, dropped after it stopped). {@link #schema()} gives tests the schema,
 * e.g. to write as another replica would.
 */
public class PostgresStoreResource implements QuarkusTestResourceLifecycleManager {

    private static volatile PostgresSchema current;
    private PostgresSchema schema;

    @Override
    public Map<String, String> start() {
        schema = PostgresSchema.create();
        current = schema;
        return Map.of("tether.store.kind", "postgres",
                "quarkus.datasource.jdbc.url", schema.url(),
                "quarkus.datasource.username", PostgresSchema.USER,
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        if (schema != null) {
            schema.drop();
        }
    }

    /** The schema of the running test application. */
    public static PostgresSchema schema() {
        return current;
    }
}
