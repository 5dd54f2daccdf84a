package dev.tether.api.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: the process answers. Deliberately independent of the disk and of providers, whose failures make the
 * service unready, not dead (a restart would not fix them).
 */
@Liveness
@ApplicationScoped
public class ProcessLivenessCheck implements HealthCheck {

    private final long startedNanos = System.nanoTime();

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("process").up()
                .withData("uptime_ms", (System.nanoTime() - startedNanos) / 1_000_000).build();
    }
}
