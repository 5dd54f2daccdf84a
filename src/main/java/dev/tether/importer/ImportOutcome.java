package dev.tether.importer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What importing one rollout file did (spec §10.5). */
@RegisterForReflection
public enum ImportOutcome {
    /** The session was written to the store (new, or replacing an older stored copy). */
    @JsonProperty("imported") IMPORTED,
    /** A stored session with that id is at least as new as the rollout: nothing was written. */
    @JsonProperty("unchanged") UNCHANGED,
    /** The file could not be imported (no usable session id, unreadable, or the store refused it). */
    @JsonProperty("failed") FAILED
}
