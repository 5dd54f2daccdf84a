package dev.tether.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Who made a provider call (spec §5.4). */
@RegisterForReflection // Jackson reads the constants' @JsonProperty names
public enum TokenSource {
    /** Loop steps and the title call. */
    @JsonProperty("root") ROOT,
    /** RLM root calls, including compaction summaries. */
    @JsonProperty("rlm_iteration") RLM_ITERATION,
    /** RLM sub-calls. */
    @JsonProperty("rlm_subcall") RLM_SUBCALL,
    /** Model calls made by a tool on the session's behalf. */
    @JsonProperty("tool_embedded") TOOL_EMBEDDED;

    public boolean isRlm() {
        return this == RLM_ITERATION || this == RLM_SUBCALL;
    }
}
