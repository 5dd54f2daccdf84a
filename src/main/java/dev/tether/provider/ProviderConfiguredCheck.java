package dev.tether.provider;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: UP when at least one provider is configured (data: their names); DOWN with the keys to set. */
@Readiness
@ApplicationScoped
public class ProviderConfiguredCheck implements HealthCheck {

    private final ProviderRegistry registry;

    public ProviderConfiguredCheck(ProviderRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("providers");
        var names = registry.configuredNames();
        if (names.isEmpty()) {
            return b.down().withData("error", ProviderNotConfiguredException.MESSAGE).build();
        }
        return b.up().withData("configured", String.join(",", names)).build();
    }
}
