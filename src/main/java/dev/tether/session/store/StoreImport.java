package dev.tether.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.session.Session;
import dev.tether.session.SessionSummary;
import dev.tether.session.TetherException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Copies a file store into another store ({@code tether.store.import-from}, moving up to PostgreSQL). Each session is
 * copied whole in one {@link SessionStore#save} (one transaction on PostgreSQL), so an interrupted import leaves no
 * half-copied session; sessions the target already holds are skipped, which makes the import idempotent and lets a
 * restart resume it. The transcript, metadata and usage move; replayable events and Idempotency-Keys stay behind.
 */
@ApplicationScoped
public class StoreImport {

    private static final Logger LOG = Logger.getLogger(StoreImport.class);

    /** What an import did. */
    public record Report(int copied, int skipped, int failed) {
    }

    private final StoreSettings settings;
    private final ObjectMapper json;

    public StoreImport(TetherConfig config, ObjectMapper json) {
        this(StoreSettings.from(config.store()), json);
    }

    StoreImport(StoreSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** Copies every session of the file store under {@code dataDir} that {@code target} lacks; logs and returns the report. */
    public Report run(String dataDir, SessionStore target) {
        // a private registry: the source store's meters must not shadow the target's
        try (FileSessionStore source = new FileSessionStore(Path.of(dataDir), settings, new SimpleMeterRegistry(), json)) {
            int copied = 0;
            int skipped = 0;
            int failed = 0;
            for (SessionSummary summary : source.listAll()) {
                try {
                    if (target.exists(summary.id())) {
                        skipped++;
                        continue;
                    }
                    Session session = source.load(summary.id());
                    target.save(session);
                    copied++;
                } catch (TetherException e) {
                    failed++;
                    LOG.warnf("import of session %s failed: %s", summary.id(), e.getMessage());
                }
            }
            Report report = new Report(copied, skipped, failed);
            LOG.infof("store import from %s: %d session(s) copied, %d skipped (already there), %d failed", dataDir,
                    copied, skipped, failed);
            return report;
        }
    }
}
