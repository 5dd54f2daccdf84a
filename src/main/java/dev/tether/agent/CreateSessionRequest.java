package dev.tether.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST /api/sessions}: every field optional ({@code max_steps}: the session's step limit, 1–1000). */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateSessionRequest(String title, String agent, String directory, String model, Integer maxSteps) {

    public static final CreateSessionRequest EMPTY = new CreateSessionRequest(null, null, null, null, null);
}
