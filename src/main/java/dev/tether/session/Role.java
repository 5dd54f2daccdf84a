package dev.tether.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Author of a {@link Message}. Transcripts hold user, assistant, tool and (imported) developer messages. */
@RegisterForReflection // Jackson reads the constants' @JsonProperty names
public enum Role {
    @JsonProperty("system") SYSTEM,
    @JsonProperty("developer") DEVELOPER,
    @JsonProperty("user") USER,
    @JsonProperty("assistant") ASSISTANT,
    @JsonProperty("tool") TOOL;

    /** The wire name, as in the spec. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
