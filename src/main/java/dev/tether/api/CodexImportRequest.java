package dev.tether.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST /api/import/codex}: exactly one of {@code id} (a Codex session id) or {@code directory}. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record CodexImportRequest(String id, String directory) {
}
