package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A part of an A2A message or artifact (A2A 0.3 §6.5), tagged by {@code kind}: text, file or structured data. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Part.Text.class, name = "text"),
        @JsonSubTypes.Type(value = Part.File.class, name = "file"),
        @JsonSubTypes.Type(value = Part.Data.class, name = "data")
})
@RegisterForReflection(targets = {Part.class, Part.Text.class, Part.File.class, Part.Data.class,
        Part.FileContent.class})
public sealed interface Part {

    /** Plain text. */
    @A2aWire
    record Text(String text, JsonNode metadata) implements Part {
        public static Text of(String text) {
            return new Text(text, null);
        }
    }

    /** A file, inline ({@code file.bytes}, base64) or by reference ({@code file.uri}). */
    @A2aWire
    record File(FileContent file, JsonNode metadata) implements Part {
    }

    /** Structured data: a JSON object. */
    @A2aWire
    record Data(JsonNode data, JsonNode metadata) implements Part {
        public static Data of(JsonNode data) {
            return new Data(data, null);
        }
    }

    /** The content of a file part: exactly one of {@code bytes} (base64) and {@code uri}. */
    @A2aWire
    record FileContent(String name, String mimeType, String bytes, String uri) {
    }
}
