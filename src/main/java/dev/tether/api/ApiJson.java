package dev.tether.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.Session;
import dev.tether.session.SessionSummary;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;

/**
 * What the API's JSON adds to the stored format: the derived display {@code label} (§8.3) of sessions and summaries.
 * It is a mix-in on the service's mapper only, so the store (its own mapper) keeps writing exactly the §2.1 format;
 * on read the field is ignored.
 */
@Singleton
public class ApiJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(Session.class, LabelMixIn.class);
        mapper.addMixIn(SessionSummary.class, LabelMixIn.class);
    }

    /** Exposes {@code label()} as a read-only property. */
    @RegisterForReflection // Jackson reads the mix-in's annotations reflectively, also in a native image
    abstract static class LabelMixIn {
        @JsonProperty(value = "label", access = JsonProperty.Access.READ_ONLY)
        abstract String label();
    }
}
