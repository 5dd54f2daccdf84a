package dev.tether.api;

import dev.tether.testing.FakeLlmResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The service with a bearer token ({@value #TOKEN}) and both providers pointed at a {@code FakeLlmServer}, so that
 * reads needing a model (context, compaction preview) answer as in production. Codex import reads an empty home.
 * Shared by the auth and bad-input tests so the application boots once for them.
 */
public class TokenProfile implements QuarkusTestProfile {

    public static final String TOKEN = "s3cret";
    public static final String AUTHORIZATION = "Authorization: Bearer " + TOKEN;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tether.auth.token", TOKEN, "tether.codex.home", "target/empty-codex-home");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeLlmResource.class));
    }
}
