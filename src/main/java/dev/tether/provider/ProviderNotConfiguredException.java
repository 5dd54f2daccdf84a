package dev.tether.provider;

import dev.tether.session.TetherException;

/** No model provider is configured at all: the service cannot run prompts until one is (503). */
public final class ProviderNotConfiguredException extends TetherException {

    public static final String MESSAGE = "No model provider is configured. Set TETHER_PROVIDERS_OPENAI_API_KEY "
            + "(or OPENAI_API_KEY) for OpenAI, TETHER_PROVIDERS_ANTHROPIC_API_KEY (or ANTHROPIC_API_KEY) for Anthropic, "
            + "or point TETHER_PROVIDERS_OPENAI_BASE_URL / TETHER_PROVIDERS_ANTHROPIC_BASE_URL at a server "
            + "(a loopback OpenAI-compatible server such as http://127.0.0.1:11434/v1 needs no key).";

    public ProviderNotConfiguredException() {
        super(503, "provider-not-configured", MESSAGE);
    }
}
