package dev.tether.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A prompt (spec §3.1): the user message, optional images, model override, step limit, and what to do when a turn
 * is already running ({@code reject} → 409, {@code queue} → start after it, in submission order).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection
public record PromptRequest(String message, List<ImageAttachment> images, String model, Integer maxSteps,
                            IfBusy ifBusy) {

    public PromptRequest {
        message = message == null ? "" : message;
        images = images == null ? List.of() : List.copyOf(images);
        ifBusy = ifBusy == null ? IfBusy.REJECT : ifBusy;
    }

    public static PromptRequest of(String message) {
        return new PromptRequest(message, null, null, null, null);
    }

    /** Busy policy. */
    @RegisterForReflection // Jackson reads the constants' @JsonProperty names
    public enum IfBusy {
        @JsonProperty("reject") REJECT,
        @JsonProperty("queue") QUEUE
    }

    /** An image attachment (spec §2.5): a base64 data URL and an optional media type. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    public record ImageAttachment(String dataUrl, String mimeType) {
    }
}
