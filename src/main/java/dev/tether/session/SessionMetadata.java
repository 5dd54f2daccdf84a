package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Session settings (spec §2.2). Absent fields take their defaults. */
@JsonPropertyOrder({"directory", "model", "auto_apply_edits", "allow_network", "rlm", "context_policy"})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionMetadata(String directory, String model, boolean autoApplyEdits, boolean allowNetwork,
                              RlmConfig rlm, ContextPolicy contextPolicy) {

    public static final SessionMetadata DEFAULT = new SessionMetadata(null, null, false, false, null, null);

    public SessionMetadata {
        rlm = rlm == null ? RlmConfig.DEFAULT : rlm;
        contextPolicy = contextPolicy == null ? ContextPolicy.DEFAULT : contextPolicy;
    }

    public SessionMetadata withDirectory(String dir) {
        return new SessionMetadata(dir, model, autoApplyEdits, allowNetwork, rlm, contextPolicy);
    }

    public SessionMetadata withModel(String newModel) {
        return new SessionMetadata(directory, newModel, autoApplyEdits, allowNetwork, rlm, contextPolicy);
    }
}
