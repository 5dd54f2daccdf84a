package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Per-session context management policy (spec §2.2, §6). {@code budgetTokens} 0 means the model's usable budget. */
@JsonPropertyOrder({"policy", "budget_tokens"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContextPolicy(Policy policy, long budgetTokens) {

    public static final ContextPolicy DEFAULT = new ContextPolicy(Policy.AUTO, 0);

    /** {@code auto} compacts when over budget; {@code off} never compacts proactively. */
    @RegisterForReflection // Jackson reads the constants' @JsonProperty names
    public enum Policy {
        @JsonProperty("auto") AUTO,
        @JsonProperty("off") OFF
    }

    public ContextPolicy {
        policy = policy == null ? Policy.AUTO : policy;
        if (budgetTokens < 0) {
            throw new IllegalArgumentException("context_policy.budget_tokens must be >= 0");
        }
    }

    @JsonCreator
    static ContextPolicy fromJson(@JsonProperty("policy") Policy policy, @JsonProperty("budget_tokens") Long budget) {
        return new ContextPolicy(policy, budget == null ? 0 : budget);
    }
}
