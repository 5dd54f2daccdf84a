package dev.tether.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.Workspaces;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A black-box smoke test of the packaged application ({@code @QuarkusIntegrationTest}: Quarkus starts
 * {@code target/quarkus-app/quarkus-run.jar} itself). Besides proving the packaged jar answers, it is the training
 * workload of the Leyden AOT cache: with {@code -Paot} Quarkus launches the jar under {@code -XX:AOTMode=record} and
 * writes {@code target/quarkus-app/app.aot} once the tests are done, so the paths exercised here (health, session
 * create/list/read, one prompt through the OpenAI client) are the ones that start pre-linked.
 */
@QuarkusIntegrationTest
@WithTestResource(FakeLlmResource.class)
@WithTestResource(AotTrainingSmokeIT.FreshDataDir.class)
class AotTrainingSmokeIT {

    @Test
    void healthCreateListAndOnePrompt() throws IOException {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        Path workspace = Workspaces.withHello();
        String id = given().contentType(ContentType.JSON).body(Map.of("directory", workspace.toString()))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        given().get("/api/sessions?limit=20").then().statusCode(200).body("sessions.id", hasItem(id));

        new RoutedLlm(FakeLlmResource.server()).script(RoutedLlm.Kind.LOOP,
                Reply.toolCall("call_1", "read", "{\"path\":\"a.txt\"}"), Reply.text("It says hello.").usage(50, 4));
        Response r = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("message", "What does a.txt say?")).post("/api/sessions/" + id + "/prompt");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("completed", r.path("terminal_reason"));
        assertEquals("It says hello.", r.path("text"));

        given().get("/api/sessions/" + id).then().statusCode(200).body("messages.size()", equalTo(4));
        given().get("/api/sessions/no-such-session").then().statusCode(404)
                .contentType("application/problem+json");
    }

    /** A new data dir under {@code target/} for the packaged app, so the test never writes to {@code ./data}. */
    public static class FreshDataDir implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
                return Map.of("tether.data-dir", Files.createTempDirectory(target, "it-aot-data-").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }
}
