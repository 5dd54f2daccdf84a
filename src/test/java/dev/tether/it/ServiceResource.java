package dev.tether.it;

import dev.tether.importer.Rollouts;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Workspaces;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The one launch configuration of the black-box ITs: the fake LLM of {@link FakeLlmResource}, a bearer token, a fresh
 * data dir, a workspace holding {@code a.txt} = {@code hello\n} as the workspace root, and a Codex home holding the spec
 * §10.6 rollout zstd-compressed ({@code .jsonl.zst}). {@code @QuarkusIntegrationTest} passes the returned keys to the
 * packaged application it launches (the jar, or the native executable under {@code -Dnative}).
 */
public class ServiceResource extends FakeLlmResource {

    /** The bearer token the launched application requires. */
    public static final String TOKEN = "it-token-7f3a9c";

    private static volatile Path workspace;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            Path ws = Workspaces.withHello();
            Path root = ws.resolveSibling(ws.getFileName() + "-service");
            Path codexHome = Files.createDirectories(root.resolve("codex"));
            Path rollout = codexHome.resolve(Rollouts.EXAMPLE_FILE + ".zst");
            Files.createDirectories(rollout.getParent());
            try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(rollout))) {
                out.write(Rollouts.example(ws.toString()).getBytes(StandardCharsets.UTF_8));
            }
            workspace = ws;
            config.put("tether.auth.token", TOKEN);
            config.put("tether.data-dir", Files.createDirectories(root.resolve("data")).toString());
            config.put("tether.workspace.root", ws.toString());
            config.put("tether.codex.home", codexHome.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    /** The workspace root of the running application (holds {@code a.txt}). */
    public static Path workspace() {
        Path ws = workspace;
        if (ws == null) {
            throw new IllegalStateException("ServiceResource is not started");
        }
        return ws;
    }
}
