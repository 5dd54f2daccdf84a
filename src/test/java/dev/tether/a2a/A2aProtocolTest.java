package dev.tether.a2a;

import static dev.tether.a2a.A2aCalls.errorCode;
import static dev.tether.a2a.A2aCalls.message;
import static dev.tether.a2a.A2aCalls.raw;
import static dev.tether.a2a.A2aCalls.result;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.api.TokenProfile;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The agent card, the token on the endpoint, and a JSON-RPC error with its A2A code for every kind of bad call. */
@QuarkusTest
@TestProfile(TokenProfile.class)
class A2aProtocolTest {

    @Test
    void theAgentCardIsPublicAndAdvertisesTheEndpointStreamingTheSkillAndTheBearerScheme() throws Exception {
        String body = given().get("/.well-known/agent-card.json").then().statusCode(200)
                .contentType("application/json").extract().asString();
        JsonNode card = A2aCalls.JSON.readTree(body);
        assertEquals("0.3.0", card.get("protocolVersion").asText());
        assertEquals("Tether", card.get("name").asText());
        assertTrue(card.get("url").asText().matches("http://(127\\.0\\.0\\.1|localhost):\\d+/a2a"), body);
        assertEquals("JSONRPC", card.get("preferredTransport").asText());
        assertTrue(card.get("capabilities").get("streaming").asBoolean());
        assertEquals(1, card.get("skills").size());
        assertEquals("agent-turn", card.get("skills").get(0).get("id").asText());
        assertTrue(card.get("defaultInputModes").toString().contains("text/plain"));
        assertTrue(card.get("defaultOutputModes").toString().contains("text/plain"));
        assertEquals("http", card.get("securitySchemes").get("bearer").get("type").asText());
        assertEquals("bearer", card.get("securitySchemes").get("bearer").get("scheme").asText());
        assertEquals(0, card.get("security").get(0).get("bearer").size());
        assertTrue(card.get("version").isTextual());
    }

    @Test
    void everyCallNeedsTheToken() {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\",\"params\":{\"id\":\"x\"}}";
        given().contentType(ContentType.JSON).body(call).post("/a2a").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(call).post("/a2a").then()
                .statusCode(401);
    }

    @Test
    void malformedJsonRpcGetsTheStandardCodesWithHttp200() throws Exception {
        assertError(raw("{\"jsonrpc\":"), A2aException.PARSE_ERROR, null);
        assertError(raw(""), A2aException.PARSE_ERROR, null);
        assertError(raw("[]"), A2aException.INVALID_REQUEST, null);
        assertError(raw("\"tasks/get\""), A2aException.INVALID_REQUEST, null);
        assertError(raw("{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"tasks/get\"}"), A2aException.INVALID_REQUEST, "3");
        assertError(raw("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":7}"), A2aException.INVALID_REQUEST, "a");
        assertError(raw("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tasks/get\"}"), A2aException.INVALID_REQUEST,
                null);
        assertError(raw("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tasks/get\",\"params\":[1]}"),
                A2aException.INVALID_REQUEST, "4");
        assertError(raw("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tasks/list\",\"params\":{}}"),
                A2aException.METHOD_NOT_FOUND, "5");
        String form = given().header("Authorization", A2aCalls.BEARER).contentType("text/plain").body("x")
                .post("/a2a").then().statusCode(200).extract().asString();
        assertEquals(A2aException.INVALID_REQUEST, A2aCalls.JSON.readTree(form).get("error").get("code").asInt());
    }

    @Test
    void paramsThatDoNotFitTheMethodAreInvalidParams() throws Exception {
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send", null));
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send", Map.of()));
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send",
                Map.of("message", message("hi", "not a session id!"))));
        Map<String, Object> empty = message("x", null);
        empty.put("parts", List.of());
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send", Map.of("message", empty)));
        Map<String, Object> blank = message("   ", null);
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send", Map.of("message", blank)));
        Map<String, Object> video = message("x", null);
        video.put("parts", List.of(Map.of("kind", "video", "url", "x")));
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send", Map.of("message", video)));
        Map<String, Object> byUri = message("x", null);
        byUri.put("parts", List.of(Map.of("kind", "file", "file", Map.of("uri", "http://x/p.png",
                "mimeType", "image/png"))));
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send", Map.of("message", byUri)));
        assertEquals(A2aException.INVALID_PARAMS, errorCode("message/send",
                Map.of("message", message("hi", null), "configuration", Map.of("blocking", "no"))));
        assertEquals(A2aException.INVALID_PARAMS, errorCode("tasks/get", Map.of("id", "x", "historyLength", "3")));
        assertEquals(A2aException.INVALID_PARAMS, errorCode("tasks/get", Map.of("id", "s:"
                + UUID.randomUUID(), "historyLength", -1)));
    }

    @Test
    void filesOtherThanImagesAreAContentTypeNotSupported() throws Exception {
        Map<String, Object> pdf = message("x", null);
        pdf.put("parts", List.of(Map.of("kind", "file", "file", Map.of("bytes", "JVBERi0=",
                "mimeType", "application/pdf"))));
        assertEquals(A2aException.CONTENT_TYPE_NOT_SUPPORTED, errorCode("message/send", Map.of("message", pdf)));
    }

    @Test
    void unknownTasksAreNotFound() throws Exception {
        String wellFormed = "nosuchsession:" + UUID.randomUUID();
        for (String id : List.of("nope", wellFormed, "a:b:c", "../x:" + UUID.randomUUID())) {
            assertEquals(A2aException.TASK_NOT_FOUND, errorCode("tasks/get", Map.of("id", id)), id);
            assertEquals(A2aException.TASK_NOT_FOUND, errorCode("tasks/cancel", Map.of("id", id)), id);
        }
        assertEquals(A2aException.TASK_NOT_FOUND, errorCode("tasks/resubscribe", Map.of("id", wellFormed)));
        Map<String, Object> continuing = message("more", null);
        continuing.put("taskId", wellFormed);
        assertEquals(A2aException.TASK_NOT_FOUND, errorCode("message/send", Map.of("message", continuing)));
    }

    @Test
    void aMessageToAnEndedTaskIsAnUnsupportedOperationAndPushNotificationsAreNotSupported() throws Exception {
        new RoutedLlm(FakeLlmResource.server()).script(RoutedLlm.Kind.LOOP, Reply.text("Done."));
        JsonNode task = result("message/send", Map.of("message", message("go", null)));
        Map<String, Object> continuing = message("more", task.get("contextId").asText());
        continuing.put("taskId", task.get("id").asText());
        assertEquals(A2aException.UNSUPPORTED_OPERATION, errorCode("message/send", Map.of("message", continuing)));
        assertEquals(A2aException.PUSH_NOTIFICATION_NOT_SUPPORTED, errorCode("tasks/pushNotificationConfig/set",
                Map.of("taskId", task.get("id").asText())));
    }

    private static void assertError(JsonNode response, int code, String id) {
        assertEquals("2.0", response.get("jsonrpc").asText(), response.toString());
        assertEquals(code, response.get("error").get("code").asInt(), response.toString());
        assertTrue(response.get("error").get("message").isTextual());
        if (id == null) {
            assertTrue(response.get("id").isNull(), response.toString());
        } else {
            assertEquals(id, response.get("id").asText(), response.toString());
        }
    }
}
