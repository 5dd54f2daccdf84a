package dev.tether.session.store;

import dev.tether.testing.StoreDefaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The file stores a test opens, all closed after it (as the service closes its store at shutdown). Another store
 * opened on the same data dir stands for a restart. Use as {@code @RegisterExtension final OpenStores stores = ...}.
 */
final class OpenStores implements AfterEachCallback {

    private final List<FileSessionStore> opened = new ArrayList<>();

    FileSessionStore open(Path dataDir) {
        return open(dataDir, StoreDefaults.settings());
    }

    FileSessionStore open(Path dataDir, StoreSettings settings) {
        FileSessionStore s = new FileSessionStore(dataDir, settings, new SimpleMeterRegistry());
        opened.add(s);
        return s;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(FileSessionStore::close);
        opened.clear();
    }
}
