package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Author of a {@link Message}. Transcripts hold user, assistant, tool and (imported) developer messages. */
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
