package dev.tether.provider;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a completion stopped, mapped from vendor reasons (spec §11.2). The loop decides by tool calls, not by this. */
@RegisterForReflection // Jackson reads the constants' @JsonProperty names
public enum FinishReason {
    @JsonProperty("stop") STOP,
    @JsonProperty("length") LENGTH,
    @JsonProperty("tool_calls") TOOL_CALLS,
    @JsonProperty("content_filter") CONTENT_FILTER,
    @JsonProperty("error") ERROR
}
