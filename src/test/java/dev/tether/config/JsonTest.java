package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.testing.FakeLlmResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Json} is the one definition: the mapper Quarkus injects and {@link Json#mapper()} are configured alike, and
 * {@link Json#internal} is the API's mapper without the API's additions.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class JsonTest {

    private static final Session SESSION = Session.create("T", null, SessionMetadata.DEFAULT,
            Instant.parse("2026-11-02T10:00:00Z"));

    @Inject
    ObjectMapper injected;

    @Test
    void theInjectedMapperIsConfiguredLikeTheFactorysOne() throws Exception {
        ObjectMapper built = Json.mapper();
        Set<Object> quarkusOnly = new HashSet<>(injected.getRegisteredModuleIds());
        assertTrue(quarkusOnly.containsAll(built.getRegisteredModuleIds()), quarkusOnly.toString());
        quarkusOnly.removeAll(built.getRegisteredModuleIds());
        assertEquals(Set.of("VertxTypes"), quarkusOnly, "only Quarkus' serializers of Vert.x JSON types are extra");
        assertEquals(built.getSerializationConfig().getSerializationFeatures(),
                injected.getSerializationConfig().getSerializationFeatures());
        assertEquals(built.getDeserializationConfig().getDeserializationFeatures(),
                injected.getDeserializationConfig().getDeserializationFeatures());
        assertEquals(built.getPropertyNamingStrategy(), injected.getPropertyNamingStrategy());
        assertEquals(built.mixInCount(), injected.mixInCount());
        assertEquals(built.writeValueAsString(SESSION), injected.writeValueAsString(SESSION));
        String coerced = "{\"max_steps\":\"5\"}";
        assertThrows(MismatchedInputException.class, () -> built.readValue(coerced, SessionMetadata.class));
        assertThrows(MismatchedInputException.class, () -> injected.readValue(coerced, SessionMetadata.class));
    }

    @Test
    void theApiWritesTheLabelAndTheInternalViewNever() throws Exception {
        JsonNode api = injected.valueToTree(SESSION);
        JsonNode stored = Json.internal(injected).valueToTree(SESSION);
        assertEquals("T", api.path("label").asText());
        assertFalse(stored.has("label"), stored.toString());
        assertTrue(stored.has("created_at"), "snake_case without @JsonNaming");
        assertTrue(injected.valueToTree(SESSION).has("label"), "deriving the view leaves the injected mapper as it was");
    }

    @Test
    void theInternalViewReadsLenientlyAndTheApiStrictly() throws Exception {
        ObjectMapper internal = Json.internal(injected);
        assertNotSame(injected, internal);
        assertEquals(5, internal.readValue("{\"max_steps\":\"5\"}", SessionMetadata.class).maxSteps());
        assertEquals(5, internal.readTree("{\"a\":5} {\"b\":6}").path("a").asInt());
        assertThrows(MismatchedInputException.class, () -> injected.readTree("{\"a\":5} {\"b\":6}"));
    }
}
