package dev.tether.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The service on the PostgreSQL store ({@code tether.store.kind=postgres}): subclasses of the
 * {@code @QuarkusTest} API tests annotated {@code @TestProfile(PostgresStoreProfile.class)} and
 * {@code @ExtendWith(RequiresPostgres.class)} run them again on it.
 */
public class PostgresStoreProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresStoreResource.class));
    }
}
