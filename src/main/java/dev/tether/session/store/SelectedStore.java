package dev.tether.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/**
 * Picks the {@link SessionStore} of {@code tether.store.kind} at run time: the {@link FileSessionStore} bean, or a
 * {@link PgSessionStore} on the Quarkus datasource. The datasource is looked up only for {@code postgres}: with the
 * file store it is inactive ({@code config/StoreKindActivation}) and nothing connects to a database.
 */
@ApplicationScoped
public class SelectedStore {

    /** How long after the HTTP server listens the file store opens: past readiness, once start-up has settled. */
    static final Duration FILE_STORE_OPEN_DELAY = Duration.ofSeconds(5);

    private final TetherConfig config;
    private final Instance<FileSessionStore> fileStore;

    public SelectedStore(TetherConfig config, Instance<FileSessionStore> fileStore) {
        this.config = config;
        this.fileStore = fileStore;
    }

    /** The store every capability uses; what only the PostgreSQL store needs is resolved only for it. */
    @Produces
    @ApplicationScoped
    SessionStore sessionStore(Instance<AgroalDataSource> dataSource, MeterRegistry registry, ObjectMapper json) {
        return switch (config.store().kind()) {
            case FILE -> fileStore.get();
            case POSTGRES -> new PgSessionStore(dataSource.get(), StoreSettings.from(config.store()), registry, json);
        };
    }

    /** PostgreSQL: runs the import of {@code tether.store.import-from} at start. */
    void openAtStartup(@Observes StartupEvent event, SessionStore store, Instance<StoreImport> importer) {
        if (config.store().kind() == TetherConfig.StoreKind.POSTGRES) {
            config.store().importFrom().ifPresent(dir -> importer.get().run(dir, store));
        }
    }

    /**
     * File store: its housekeeping and first index scan start {@link #FILE_STORE_OPEN_DELAY} after the HTTP server
     * listens, in the background: their cost grows with the sessions on disk, and start-up (with its JIT compilation)
     * must not share a core with them. A listing or write before then opens the store itself. Without an HTTP server
     * the store opens on first use.
     */
    void warmUpFileStore(@ObservesAsync HttpServerStart event) {
        if (config.store().kind() == TetherConfig.StoreKind.FILE) {
            fileStore.get().openInBackground(FILE_STORE_OPEN_DELAY);
        }
    }
}
