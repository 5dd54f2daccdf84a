package dev.tether.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One part of a {@link Message}, tagged by {@code type} (spec §2.3). The set is closed: code switches over it
 * exhaustively.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
        @JsonSubTypes.Type(value = ContentPart.Image.class, name = "image"),
        @JsonSubTypes.Type(value = ContentPart.File.class, name = "file"),
        @JsonSubTypes.Type(value = ContentPart.ToolCall.class, name = "tool_call"),
        @JsonSubTypes.Type(value = ContentPart.ToolResult.class, name = "tool_result"),
        @JsonSubTypes.Type(value = ContentPart.Thinking.class, name = "thinking")
})
@RegisterForReflection(targets = {ContentPart.class, ContentPart.Text.class, ContentPart.Image.class,
        ContentPart.File.class, ContentPart.ToolCall.class, ContentPart.ToolResult.class, ContentPart.Thinking.class})
public sealed interface ContentPart {

    /** Plain text of a user, assistant or developer message. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Text(String text) implements ContentPart {
        public Text {
            text = text == null ? "" : text;
        }
    }

    /** An image, as a data URL or an http(s) URL. */
    @JsonPropertyOrder({"url", "mime_type"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Image(String url, String mimeType) implements ContentPart {
    }

    /** A reference to a file by path. */
    @JsonPropertyOrder({"path", "mime_type"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(String path, String mimeType) implements ContentPart {
    }

    /** A tool call made by the model; {@code arguments} is a string holding JSON text, never a JSON object. */
    @JsonPropertyOrder({"id", "name", "arguments"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolCall(String id, String name, String arguments) implements ContentPart {
        public ToolCall {
            arguments = arguments == null ? "" : arguments;
        }
    }

    /** The result of one tool call; exactly one per tool message. */
    @JsonPropertyOrder({"tool_call_id", "content"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolResult(String toolCallId, String content) implements ContentPart {
        public ToolResult {
            content = content == null ? "" : content;
        }
    }

    /** Model reasoning; {@code signature} is opaque provider data passed back unchanged. */
    @JsonPropertyOrder({"text", "signature"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Thinking(String text, String signature) implements ContentPart {
        public Thinking {
            text = text == null ? "" : text;
        }
    }
}
