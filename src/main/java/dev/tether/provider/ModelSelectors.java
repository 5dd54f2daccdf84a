package dev.tether.provider;

import dev.tether.session.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * The shape of a model a client names (on create and as a prompt's override): {@code provider/model} (the model part
 * may hold further slashes) or a bare model id, without whitespace, at most {@value #MAX_CHARS} characters. Whether it
 * resolves to a configured provider is {@link ModelResolver}'s question.
 */
public final class ModelSelectors {

    public static final int MAX_CHARS = 256;
    private static final Pattern SHAPE = Pattern.compile("[^\\s/]+(/[^\\s]*[^\\s/])?");

    private ModelSelectors() {
    }

    /** Returns {@code model} ({@code null} stays {@code null}), or rejects a malformed one with a 400. */
    public static String requireValid(String model) {
        if (model == null) {
            return null;
        }
        if (model.length() > MAX_CHARS || !SHAPE.matcher(model).matches()) {
            throw new InvalidRequestException("model must be 'provider/model' or a model id, without spaces");
        }
        return model;
    }
}
