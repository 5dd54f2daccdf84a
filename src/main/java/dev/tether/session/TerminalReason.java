package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a turn ended (spec §3.11). */
public enum TerminalReason {
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("max_steps") MAX_STEPS,
    @JsonProperty("aborted") ABORTED,
    @JsonProperty("error") ERROR
}
