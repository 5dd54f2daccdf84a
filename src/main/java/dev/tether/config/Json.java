package dev.tether.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import dev.tether.session.Session;
import dev.tether.session.SessionSummary;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The one definition of the service's JSON. Quarkus produces the application {@link ObjectMapper} and applies
 * {@link #configure} to it through this customizer; everything that reads or writes JSON gets that mapper injected.
 * Code built with {@code new} (tests, tools) takes {@link #mapper()}, which applies the same {@link #configure} to a
 * fresh mapper, so there is no second configuration that could drift ({@code JsonTest} compares the two).
 *
 * <p>The mapper as configured here is the API's: snake_case names, ISO dates, unknown fields ignored, strict scalars
 * and the derived {@code label} of sessions and summaries. Data the service stores or exchanges with other systems
 * goes through {@link #internal}, the one place where a view without the API's additions is derived.
 */
@Singleton
public class Json implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** A mapper configured like the injected one, for code built without CDI. */
    public static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        configure(mapper);
        return mapper;
    }

    /**
     * The service's settings. The modules are those Quarkus registers (registering one twice is a no-op), so that
     * {@link #mapper()} equals the injected mapper.
     *
     * <ul>
     *   <li>snake_case property names for every type (explicit {@code @JsonProperty} names stay as written);</li>
     *   <li>unknown fields ignored (newer journals, richer clients), dates as ISO text;</li>
     *   <li>strict reading: a body is one JSON value (trailing content fails) and scalars are taken as sent, never
     *       coerced ({@code "message": 123}, {@code "max_steps": "1.5"} and {@code "max_steps": 1.5} fail, as does an
     *       enum given as a number); failures surface as 400 problems naming the field ({@code ProblemMapper#badJson}).
     *       An integer for a floating-point field is not a coercion that loses anything and stays accepted;</li>
     *   <li>the derived display {@code label} (§8.3) of sessions and summaries, written by the API only and ignored
     *       on read.</li>
     * </ul>
     */
    public static void configure(ObjectMapper mapper) {
        mapper.registerModules(new Jdk8Module(), new JavaTimeModule(), new ParameterNamesModule());
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        strictScalars(mapper, true);
        mapper.addMixIn(Session.class, LabelMixIn.class);
        mapper.addMixIn(SessionSummary.class, LabelMixIn.class);
    }

    /**
     * The view of the injected mapper for data the service owns or receives from other systems (the session store's
     * §2.1 files, provider wire formats): same names and modules, but without the API's {@code label} (it must never
     * reach a stored snapshot) and read leniently like any JSON of other writers (no strict scalars, trailing content
     * ignored). Derive it once per user, not per call.
     */
    public static ObjectMapper internal(ObjectMapper service) {
        ObjectMapper view = service.copy();
        view.setMixIns(Map.of());
        strictScalars(view, false);
        return view;
    }

    private static void strictScalars(ObjectMapper mapper, boolean strict) {
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, strict);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, !strict);
        mapper.configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, strict);
        // null: Jackson's default coercion for the shape again
        CoercionAction action = strict ? CoercionAction.Fail : null;
        coerce(mapper, action, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        coerce(mapper, action, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float,
                CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        coerce(mapper, action, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        coerce(mapper, action, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.EmptyString);
        coerce(mapper, action, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.EmptyString);
    }

    private static void coerce(ObjectMapper mapper, CoercionAction action, LogicalType target,
                               CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, action);
        }
    }

    /** Exposes {@code label()} as a read-only property. */
    @RegisterForReflection // Jackson reads the mix-in's annotations reflectively, also in a native image
    abstract static class LabelMixIn {
        @JsonProperty(value = "label", access = JsonProperty.Access.READ_ONLY)
        abstract String label();
    }
}
