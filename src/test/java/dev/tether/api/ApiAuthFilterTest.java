package dev.tether.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a token configured, {@code /api/**} needs {@code Authorization: Bearer <token>}; health stays open. */
@QuarkusTest
@TestProfile(ApiAuthFilterTest.WithToken.class)
class ApiAuthFilterTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.auth.token", "s3cret");
        }
    }

    @Test
    void apiRequiresTheBearerToken() {
        given().when().get("/api/sessions").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("type", equalTo("https://tether.dev/problems/unauthorized"));
        given().header("Authorization", "Bearer wrong").when().get("/api/sessions").then().statusCode(401);
        given().when().get("/api/nothing-here").then().statusCode(401);
        given().header("Authorization", "Bearer s3cret").when().get("/api/sessions").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
