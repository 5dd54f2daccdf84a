package dev.tether.api;

import dev.tether.testing.PostgresStoreProfile;
import dev.tether.testing.RequiresPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EventsResourceTest} with the service on the PostgreSQL store: live events and Last-Event-ID replay from the tables. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@ExtendWith(RequiresPostgres.class)
class PgEventsResourceTest extends EventsResourceTest {
}
