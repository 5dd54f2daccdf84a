package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
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
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    record Text(String text, JsonNode metadata) implements Part {
        public static Text of(String text) {
            return new Text(text, null);
        }
    }

    /** A file, inline ({@code file.bytes}, base64) or by reference ({@code file.uri}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    record File(FileContent file, JsonNode metadata) implements Part {
    }

    /** Structured data: a JSON object. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    record Data(JsonNode data, JsonNode metadata) implements Part {
        public static Data of(JsonNode data) {
            return new Data(data, null);
        }
    }

    /** The content of a file part: exactly one of {@code bytes} (base64) and {@code uri}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    record FileContent(String name, String mimeType, String bytes, String uri) {
    }
}
