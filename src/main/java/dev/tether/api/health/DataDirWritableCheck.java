package dev.tether.api.health;

import dev.tether.config.TetherConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the store can write. Creates and deletes a probe file in {@code <data-dir>} and checks that
 * {@code <data-dir>/sessions} is writable; DOWN with the reason otherwise, and DOWN once shutdown has begun so that
 * traffic drains. The probe stays out of {@code sessions/}: a probe there would change that directory's modification
 * time, which the file store's listing reads as a change by another process (a scan of every session's files).
 */
@Readiness
@ApplicationScoped
public class DataDirWritableCheck implements HealthCheck {

    static final String NAME = "data-dir-writable";

    private final Path sessionsDir;
    private volatile boolean shuttingDown;

    @Inject
    public DataDirWritableCheck(TetherConfig config) {
        this(Path.of(config.dataDir()));
    }

    DataDirWritableCheck(Path dataDir) {
        this.sessionsDir = dataDir.toAbsolutePath().normalize().resolve("sessions");
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    @Override
    public HealthCheckResponse call() {
        if (shuttingDown) {
            return HealthCheckResponse.named(NAME).down().withData("reason", "shutting down").build();
        }
        Path probe = sessionsDir.resolveSibling(".probe-" + UUID.randomUUID());
        try {
            Files.createDirectories(sessionsDir);
            Files.writeString(probe, "ok");
            Files.delete(probe);
            if (!Files.isWritable(sessionsDir)) {
                throw new AccessDeniedException(sessionsDir.toString(), null, "sessions directory not writable");
            }
            return HealthCheckResponse.named(NAME).up().withData("data_dir", sessionsDir.getParent().toString()).build();
        } catch (IOException | SecurityException e) {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the probe was never written
            }
            String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getReason() : e.getClass().getSimpleName();
            return HealthCheckResponse.named(NAME).down().withData("data_dir", sessionsDir.getParent().toString())
                    .withData("error", reason).build();
        }
    }
}
