package dev.tether.context;

import dev.tether.provider.ModelResolver;
import dev.tether.provider.Provider;
import dev.tether.provider.ResolvedModel;
import dev.tether.provider.UnknownProviderException;
import java.util.HashMap;
import java.util.Map;

/** Resolves {@code provider/model} against a fixed set of providers, like the real resolver (spec §11.1). */
public final class ScriptedResolver implements ModelResolver {

    private final Map<String, Provider> providers = new HashMap<>();

    public ScriptedResolver(Provider... list) {
        for (Provider p : list) {
            providers.put(p.name(), p);
        }
    }

    @Override
    public ResolvedModel resolve(String selector) {
        String s = selector == null || selector.isBlank() ? "openai/gpt-4o" : selector;
        int slash = s.indexOf('/');
        String provider = slash < 0 ? s : s.substring(0, slash);
        Provider p = providers.get(provider);
        if (p == null) {
            throw new UnknownProviderException("Unknown provider: " + provider);
        }
        return new ResolvedModel(p, slash < 0 ? p.defaultModel() : s.substring(slash + 1));
    }

    @Override
    public boolean anyConfigured() {
        return !providers.isEmpty();
    }
}
