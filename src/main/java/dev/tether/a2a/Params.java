package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The {@code params} of the A2A methods this service implements (A2A 0.3 §7). */
final class Params {

    private Params() {
    }

    /** {@code message/send} and {@code message/stream}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    record MessageSend(A2aMessage message, Configuration configuration, JsonNode metadata) {
    }

    /**
     * How {@code message/send} answers: {@code blocking} (the default) waits for the task to end; {@code historyLength}
     * limits the history in the answer. Output modes and push notification settings are not used.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    record Configuration(Boolean blocking, Integer historyLength) {
    }

    /** {@code tasks/get}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    record TaskQuery(String id, Integer historyLength) {
    }

    /** {@code tasks/cancel} and {@code tasks/resubscribe}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    record TaskId(String id) {
    }
}
