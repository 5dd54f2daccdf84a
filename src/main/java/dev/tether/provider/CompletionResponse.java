package dev.tether.provider;

import dev.tether.session.Message;
import dev.tether.session.Usage;

/**
 * A complete model answer: the assistant message (parts ordered thinking, text, tool calls), the usage normalised to
 * spec §2.4 (null when the provider reported none) and the finish reason.
 */
public record CompletionResponse(Message message, Usage usage, FinishReason finishReason) {
}
