package dev.tether.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST /api/sessions}: every field optional. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateSessionRequest(String title, String agent, String directory, String model) {

    public static final CreateSessionRequest EMPTY = new CreateSessionRequest(null, null, null, null);
}
