package dev.tether.provider;

/**
 * Resolves {@code provider/model} selectors (spec §11.1). An explicitly named provider that is not configured is an
 * error ({@code Unknown provider: <name>}), never a silent fallback.
 */
public interface ModelResolver {

    /** Resolves a selector; {@code null} or blank means the service default model. */
    ResolvedModel resolve(String selector);

    /** Whether at least one provider is configured. */
    boolean anyConfigured();
}
