package dev.tether.api;

import dev.tether.testing.FakeLlmResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The service with a bearer token ({@value #TOKEN}) and both providers pointed at a {@code FakeLlmServer}, so that
 * reads needing a model (context, compaction preview) answer as in production. Codex import reads an empty home.
 * Shared by the auth and bad-input tests so the application boots once for them. The body limit is set to
 * {@value #MAX_BODY_BYTES} bytes (the service ships 128 MiB, room for a prompt with 8 images) so that a body over the
 * limit is cheap to send.
 */
public class TokenProfile implements QuarkusTestProfile {

    public static final String TOKEN = "s3cret";
    public static final String AUTHORIZATION = "Authorization: Bearer " + TOKEN;
    /** {@code quarkus.http.limits.max-body-size} of this profile: 10 MiB. */
    public static final long MAX_BODY_BYTES = 10_485_760;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tether.auth.token", TOKEN, "tether.codex.home", "target/empty-codex-home",
                "quarkus.http.limits.max-body-size", Long.toString(MAX_BODY_BYTES));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeLlmResource.class));
    }
}
