package dev.tether.context.rlm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.context.AuxiliaryCaller;
import dev.tether.context.ContextWindows;
import dev.tether.provider.ModelResolver;

/**
 * What every part of RLM reaches: the models ({@code resolver}, {@code caller}), their windows, the meters, and the
 * lenient mapper that reads the models' tool-call arguments.
 */
record RlmWiring(ModelResolver resolver, ContextWindows windows, AuxiliaryCaller caller, RlmMeters meters,
                 ObjectMapper json) {
}
