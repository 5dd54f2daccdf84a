package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Optional;

/** One transcript message: a role and its ordered parts (spec §2.3). */
@JsonPropertyOrder({"role", "content"})
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Message(Role role, List<ContentPart> content) {

    public Message {
        if (role == null) {
            throw new IllegalArgumentException("message role is required");
        }
        content = content == null ? List.of() : List.copyOf(content);
    }

    public static Message of(Role role, ContentPart... parts) {
        return new Message(role, List.of(parts));
    }

    public static Message userText(String text) {
        return of(Role.USER, new ContentPart.Text(text));
    }

    public static Message assistantText(String text) {
        return of(Role.ASSISTANT, new ContentPart.Text(text));
    }

    /** A tool message holding the one result of a call. */
    public static Message toolResult(String toolCallId, String content) {
        return of(Role.TOOL, new ContentPart.ToolResult(toolCallId, content));
    }

    /** The concatenation of this message's text parts, joined by newlines; empty when it has none. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text t) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** The first text part, if any. */
    public Optional<String> firstText() {
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text t) {
                return Optional.of(t.text());
            }
        }
        return Optional.empty();
    }

    public List<ContentPart.ToolCall> toolCalls() {
        return content.stream().filter(ContentPart.ToolCall.class::isInstance).map(ContentPart.ToolCall.class::cast).toList();
    }
}
