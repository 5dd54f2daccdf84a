package dev.tether.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tether.api.TokenProfile;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Conformance with the official A2A JavaScript client: {@code src/test/a2a-js/conformance.mjs} drives the running
 * service through {@code @a2a-js/sdk} 0.3.14 (pinned by {@code package-lock.json}, installed with {@code npm ci} into
 * {@code target/a2a-js} once) as a child process: card, blocking send with a tool round trip, stream, same context,
 * get with history, cancel of a streaming task. Needs Node 18+ and npm on the PATH; fails saying so when they are absent.
 */
@QuarkusTest
@TestProfile(TokenProfile.class)
class A2aConformanceTest {

    private static final Path SOURCES = Path.of("src/test/a2a-js");
    private static final Path INSTALL = Path.of("target/a2a-js");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "conformance.mjs");

    @TestHTTPResource("/")
    URI base;

    @Test
    void theOfficialJavaScriptClientDrivesEveryMethod() throws Exception {
        Path dir = install();
        RoutedLlm routed = new RoutedLlm(FakeLlmResource.server());
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("call_1", "list", "{\"path\":\".\"}"),
                Reply.text("Listed the workspace."), Reply.text("Streamed answer."), Reply.text("Continued."),
                Reply.toolCall("call_2", "list", "{}"), Reply.hang());

        Process node = new ProcessBuilder("node", "conformance.mjs", base.toString(), TokenProfile.TOKEN)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (var out = node.getInputStream()) {
            node.getOutputStream().close();
            boolean ended = node.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                node.destroyForcibly();
            }
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ended, "conformance.mjs did not end within 180 s:\n" + output);
        }
        assertEquals(0, node.exitValue(), "conformance.mjs failed:\n" + output);
        assertTrue(output.contains("conformance passed"), output);
        // the slow task may be canceled before or after its turn asks the model again
        int calls = routed.requests(RoutedLlm.Kind.LOOP).size();
        assertTrue(calls == 5 || calls == 6, "model calls: " + calls);
    }

    /** Copies the client project to {@code target/a2a-js} and runs {@code npm ci} there unless already done. */
    private static Path install() throws IOException, InterruptedException {
        requireTool("node");
        requireTool("npm");
        Files.createDirectories(INSTALL);
        boolean lockChanged = !Files.exists(INSTALL.resolve("package-lock.json"))
                || Files.mismatch(SOURCES.resolve("package-lock.json"), INSTALL.resolve("package-lock.json")) >= 0;
        for (String file : FILES) {
            Files.copy(SOURCES.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.exists(INSTALL.resolve("node_modules/@a2a-js/sdk/package.json"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                    .directory(INSTALL.toFile()).redirectErrorStream(true).start();
            npm.getOutputStream().close();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                fail("npm ci of the A2A client in " + INSTALL + " failed:\n" + output);
            }
        }
        return INSTALL;
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // not on the PATH: reported below
        }
        fail("A2aConformanceTest needs Node.js 18+ and npm on the PATH ('" + tool + " --version' failed): install "
                + "them to run ./mvnw verify");
    }
}
