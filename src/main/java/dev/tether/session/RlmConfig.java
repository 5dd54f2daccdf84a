package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Per-session RLM settings (spec §2.2, §7). */
@JsonPropertyOrder({"mode", "threshold", "max_iterations", "max_subcalls", "root_model", "subcall_model"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record RlmConfig(Mode mode, double threshold, int maxIterations, int maxSubcalls, String rootModel,
                        String subcallModel) {

    public static final RlmConfig DEFAULT = new RlmConfig(Mode.AUTO, 0.35, 15, 50, null, null);

    /** When bulk tool outputs are routed to RLM (§7.2). */
    @RegisterForReflection // Jackson reads the constants' @JsonProperty names
    public enum Mode {
        @JsonProperty("auto") AUTO,
        @JsonProperty("off") OFF,
        @JsonProperty("always") ALWAYS
    }

    public RlmConfig {
        mode = mode == null ? Mode.AUTO : mode;
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("rlm.threshold must be between 0 and 1");
        }
        if (maxIterations < 1 || maxSubcalls < 0) {
            throw new IllegalArgumentException("rlm.max_iterations must be >= 1 and rlm.max_subcalls >= 0");
        }
    }

    @JsonCreator
    static RlmConfig fromJson(@JsonProperty("mode") Mode mode, @JsonProperty("threshold") Double threshold,
                              @JsonProperty("max_iterations") Integer maxIterations,
                              @JsonProperty("max_subcalls") Integer maxSubcalls,
                              @JsonProperty("root_model") String rootModel,
                              @JsonProperty("subcall_model") String subcallModel) {
        return new RlmConfig(mode, threshold == null ? DEFAULT.threshold : threshold,
                maxIterations == null ? DEFAULT.maxIterations : maxIterations,
                maxSubcalls == null ? DEFAULT.maxSubcalls : maxSubcalls, rootModel, subcallModel);
    }
}
