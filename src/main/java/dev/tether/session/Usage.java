package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Token usage (spec §2.4). {@code promptTokens} includes cached tokens; cache counts are {@code null} when never
 * reported. {@code totalTokens} is always {@code promptTokens + completionTokens}, saturating.
 */
@JsonPropertyOrder({"prompt_tokens", "completion_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(long promptTokens, long completionTokens, long totalTokens, Long cacheReadTokens,
                    Long cacheWriteTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, null, null);

    public Usage {
        promptTokens = Math.max(0, promptTokens);
        completionTokens = Math.max(0, completionTokens);
        totalTokens = saturatingAdd(promptTokens, completionTokens);
    }

    @JsonCreator
    static Usage fromJson(@JsonProperty("prompt_tokens") Long prompt, @JsonProperty("completion_tokens") Long completion,
                          @JsonProperty("total_tokens") Long total, @JsonProperty("cache_read_tokens") Long cacheRead,
                          @JsonProperty("cache_write_tokens") Long cacheWrite) {
        return new Usage(prompt == null ? 0 : prompt, completion == null ? 0 : completion, 0, cacheRead, cacheWrite);
    }

    public static Usage of(long prompt, long completion, Long cacheRead, Long cacheWrite) {
        return new Usage(prompt, completion, 0, cacheRead, cacheWrite);
    }

    /** Sum of two usages; a {@code null} cache count plus a number is that number. */
    public Usage plus(Usage other) {
        if (other == null) {
            return this;
        }
        return new Usage(saturatingAdd(promptTokens, other.promptTokens),
                saturatingAdd(completionTokens, other.completionTokens), 0,
                addNullable(cacheReadTokens, other.cacheReadTokens), addNullable(cacheWriteTokens, other.cacheWriteTokens));
    }

    private static Long addNullable(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return saturatingAdd(a, b);
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
