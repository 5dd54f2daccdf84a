package dev.tether.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonProperty;

/** How a turn ended (spec §3.11). */
@RegisterForReflection // Jackson reads the constants' @JsonProperty names
public enum TerminalReason {
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("max_steps") MAX_STEPS,
    @JsonProperty("aborted") ABORTED,
    @JsonProperty("error") ERROR
}
