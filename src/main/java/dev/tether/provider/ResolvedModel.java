package dev.tether.provider;

/** A resolved model selector: the provider bean and the provider's own model id. */
public record ResolvedModel(Provider provider, String modelId) {

    /** The canonical {@code provider/model} selector, as reported in events. */
    public String selector() {
        return provider.name() + "/" + modelId;
    }
}
