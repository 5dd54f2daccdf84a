package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Session settings (spec §2.2). Absent fields take their defaults. {@code max_steps} is written only when set, so
 * sessions without it keep the exact stored form they had before the field existed.
 */
@JsonPropertyOrder({"directory", "model", "auto_apply_edits", "allow_network", "rlm", "context_policy", "max_steps"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionMetadata(String directory, String model, boolean autoApplyEdits, boolean allowNetwork,
                              RlmConfig rlm, ContextPolicy contextPolicy,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxSteps) {

    public static final SessionMetadata DEFAULT = new SessionMetadata(null, null, false, false, null, null, null);

    /** Upper bound of a session's {@code max_steps}: a turn longer than this is a runaway, not a plan. */
    public static final int MAX_STEPS_LIMIT = 1000;

    @JsonCreator
    public SessionMetadata {
        rlm = rlm == null ? RlmConfig.DEFAULT : rlm;
        contextPolicy = contextPolicy == null ? ContextPolicy.DEFAULT : contextPolicy;
    }

    /** Settings without a session step limit (the prompt's or the service default applies). */
    public SessionMetadata(String directory, String model, boolean autoApplyEdits, boolean allowNetwork,
                           RlmConfig rlm, ContextPolicy contextPolicy) {
        this(directory, model, autoApplyEdits, allowNetwork, rlm, contextPolicy, null);
    }

    public SessionMetadata withDirectory(String dir) {
        return new SessionMetadata(dir, model, autoApplyEdits, allowNetwork, rlm, contextPolicy, maxSteps);
    }

    public SessionMetadata withModel(String newModel) {
        return new SessionMetadata(directory, newModel, autoApplyEdits, allowNetwork, rlm, contextPolicy, maxSteps);
    }

    public SessionMetadata withMaxSteps(Integer steps) {
        return new SessionMetadata(directory, model, autoApplyEdits, allowNetwork, rlm, contextPolicy, steps);
    }

    /** A requested session step limit: {@code null} (none) or 1–{@value #MAX_STEPS_LIMIT}. */
    public static Integer checkMaxSteps(Integer steps) {
        if (steps != null && (steps < 1 || steps > MAX_STEPS_LIMIT)) {
            throw new InvalidRequestException("max_steps must be between 1 and " + MAX_STEPS_LIMIT);
        }
        return steps;
    }
}
