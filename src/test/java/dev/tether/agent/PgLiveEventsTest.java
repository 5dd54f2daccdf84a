package dev.tether.agent;

import dev.tether.testing.PostgresStoreProfile;
import dev.tether.testing.RequiresPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link LiveEventsTest} with the service on the PostgreSQL store: live events and Last-Event-ID replay from the tables. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@ExtendWith(RequiresPostgres.class)
class PgLiveEventsTest extends LiveEventsTest {
}
