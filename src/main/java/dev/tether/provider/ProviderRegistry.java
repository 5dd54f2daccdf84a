package dev.tether.provider;

import dev.tether.config.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model selector of spec §11.1 over the {@link Provider} beans: {@code provider/model} splits at the first
 * {@code /}; a bare provider name means its default model; any other bare value is a model of the default provider
 * ({@code tether.providers.default-provider}, else the first configured of {@code openai}, {@code anthropic}). A
 * named provider that is not configured is an {@link UnknownProviderException}, never a fallback; no provider
 * configured at all is a {@link ProviderNotConfiguredException} (503).
 */
@ApplicationScoped
public class ProviderRegistry implements ModelResolver {

    /** Preference order for the implicit default provider. */
    static final List<String> PREFERENCE = List.of("openai", "anthropic");

    private final Map<String, Provider> providers;
    private final List<String> preferenceOrder;
    private final Optional<String> defaultProvider;
    private final String defaultModel;

    @Inject
    public ProviderRegistry(@Any Instance<Provider> beans, TetherConfig config) {
        this(collect(beans), config.providers().defaultProvider(), config.defaultModel());
    }

    /** For tests: explicit providers (by {@link Provider#name()}), default provider and service default model. */
    public ProviderRegistry(List<Provider> providers, Optional<String> defaultProvider, String defaultModel) {
        Map<String, Provider> byName = new LinkedHashMap<>();
        List<Provider> ordered = new ArrayList<>(providers);
        ordered.sort(Comparator.comparingInt(p -> {
            int i = PREFERENCE.indexOf(p.name());
            return i < 0 ? PREFERENCE.size() : i;
        }));
        for (Provider p : ordered) {
            byName.putIfAbsent(p.name(), p);
        }
        this.providers = Map.copyOf(byName);
        this.preferenceOrder = List.copyOf(byName.keySet());
        this.defaultProvider = defaultProvider.map(String::strip).filter(s -> !s.isEmpty());
        this.defaultModel = defaultModel;
    }

    private static List<Provider> collect(Instance<Provider> beans) {
        List<Provider> list = new ArrayList<>();
        for (Provider p : beans) {
            list.add(p);
        }
        return list;
    }

    @Override
    public ResolvedModel resolve(String selector) {
        if (!anyConfigured()) {
            throw new ProviderNotConfiguredException();
        }
        String s = selector == null || selector.isBlank() ? defaultModel : selector.strip();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            Provider p = configuredOrThrow(s.substring(0, slash));
            String model = s.substring(slash + 1);
            return new ResolvedModel(p, model.isBlank() ? p.defaultModel() : model);
        }
        Provider named = providers.get(s);
        if (named != null) {
            if (!named.isConfigured()) {
                throw unknown(s);
            }
            return new ResolvedModel(named, named.defaultModel());
        }
        return new ResolvedModel(defaultProviderOrThrow(), s);
    }

    @Override
    public boolean anyConfigured() {
        return providers.values().stream().anyMatch(Provider::isConfigured);
    }

    /** Names of the configured providers, in preference order. */
    public List<String> configuredNames() {
        return preferenceOrder.stream().filter(n -> providers.get(n).isConfigured()).toList();
    }

    /** A provider by name, configured or not. */
    public Optional<Provider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** The provider for bare model ids. */
    public Provider defaultProviderOrThrow() {
        if (defaultProvider.isPresent()) {
            return configuredOrThrow(defaultProvider.get());
        }
        for (String name : preferenceOrder) {
            Provider p = providers.get(name);
            if (p.isConfigured()) {
                return p;
            }
        }
        throw new ProviderNotConfiguredException();
    }

    private Provider configuredOrThrow(String name) {
        Provider p = providers.get(name);
        if (p == null || !p.isConfigured()) {
            throw unknown(name);
        }
        return p;
    }

    private static UnknownProviderException unknown(String name) {
        return new UnknownProviderException("Unknown provider: " + name);
    }
}
