package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The agent card (A2A 0.3 §5.5) served at {@code /.well-known/agent-card.json}: who the agent is, where its JSON-RPC
 * endpoint is ({@code url}), what it can do, and, with a token configured, that calls need a bearer token.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
@JsonPropertyOrder({"protocolVersion", "name", "description", "url", "preferredTransport", "version", "capabilities",
        "defaultInputModes", "defaultOutputModes", "skills", "securitySchemes", "security",
        "supportsAuthenticatedExtendedCard"})
@RegisterForReflection
public record AgentCard(String protocolVersion, String name, String description, String url,
                        String preferredTransport, String version, Capabilities capabilities,
                        List<String> defaultInputModes, List<String> defaultOutputModes, List<Skill> skills,
                        Map<String, SecurityScheme> securitySchemes, List<Map<String, List<String>>> security,
                        boolean supportsAuthenticatedExtendedCard) {

    /** Optional protocol features: streaming yes, push notifications and state transition history no. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    public record Capabilities(boolean streaming, boolean pushNotifications, boolean stateTransitionHistory) {
    }

    /** A capability of the agent, for clients to choose it by. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    public record Skill(String id, String name, String description, List<String> tags, List<String> examples,
                       List<String> inputModes, List<String> outputModes) {
    }

    /** An HTTP authentication scheme (OpenAPI security scheme object): here {@code http} / {@code bearer}. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @RegisterForReflection
    public record SecurityScheme(String type, String scheme, String description) {
    }
}
