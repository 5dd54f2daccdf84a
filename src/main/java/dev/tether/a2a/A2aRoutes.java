package dev.tether.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.api.ApiAuth;
import dev.tether.config.TetherConfig;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.Config;

/**
 * The A2A endpoint (spec §14) on the service's HTTP port, as router routes behind {@code HttpGate} (which requires
 * the token on {@value #RPC_PATH} and lets the card through): {@code GET} {@value #CARD_PATH}, and JSON-RPC 2.0 calls
 * by {@code POST} to {@value #RPC_PATH}. A route rather than a REST resource because the answer's media type depends
 * on the method in the body: JSON for most, server-sent events for {@code message/stream} and
 * {@code tasks/resubscribe}. Every failure is a JSON-RPC error object with HTTP 200, never a problem response.
 */
@ApplicationScoped
public class A2aRoutes {

    public static final String CARD_PATH = "/.well-known/agent-card.json";
    public static final String RPC_PATH = "/a2a";

    private final A2aTasks tasks;
    private final ObjectMapper mapper;
    private final JsonRpcRequests requests;
    private final SseChannel sse;
    private final ApiAuth auth;
    private final Optional<String> configuredUrl;
    private final String version;

    @Inject
    public A2aRoutes(A2aTasks tasks, ObjectMapper mapper, ApiAuth auth, TetherConfig config, Config quarkusConfig) {
        this.tasks = tasks;
        this.mapper = mapper;
        this.requests = new JsonRpcRequests(mapper);
        this.sse = new SseChannel(mapper, config.events().keepAlive());
        this.auth = auth;
        this.configuredUrl = config.a2a().url();
        this.version = quarkusConfig.getOptionalValue("quarkus.application.version", String.class).orElse("0");
    }

    void install(@Observes Router router) {
        router.get(CARD_PATH).handler(this::card);
        // blocking: the methods read the session store
        router.post(RPC_PATH).blockingHandler(this::call, false);
    }

    private void card(RoutingContext ctx) {
        AgentCard card = AgentCards.card(configuredUrl.orElseGet(() -> endpointUrl(ctx.request())), version,
                auth.required());
        writeJson(ctx.response(), card);
    }

    /** {@value #RPC_PATH} on the scheme and authority the request came by (as Vert.x resolved them). */
    private static String endpointUrl(HttpServerRequest request) {
        try {
            URI uri = new URI(request.absoluteURI());
            return new URI(uri.getScheme(), uri.getRawAuthority(), RPC_PATH, null, null).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return RPC_PATH;
        }
    }

    private void call(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        JsonNode id = JsonRpcRequests.NO_ID;
        try {
            requireJson(ctx.request());
            JsonNode request = requests.parse(body(ctx));
            id = JsonRpcRequests.idOf(request);
            JsonRpcRequests.Call call = requests.call(request);
            Multi<StreamEvent> stream = streamOf(call);
            if (stream != null) {
                sse.send(response, call.id(), stream);
                return;
            }
            JsonNode answerId = id;
            answer(call).whenComplete((result, failure) -> {
                if (failure != null) {
                    writeJson(response, new JsonRpc.Failure(answerId, Errors.of(failure)));
                } else {
                    writeJson(response, new JsonRpc.Result(answerId, result));
                }
            });
        } catch (RuntimeException e) {
            writeJson(response, new JsonRpc.Failure(id, Errors.of(e)));
        }
    }

    /** The streaming methods' events; null for a method answered with one JSON response. */
    private Multi<StreamEvent> streamOf(JsonRpcRequests.Call call) {
        return switch (call.method()) {
            case "message/stream" -> tasks.stream(requests.params(call, Params.MessageSend.class));
            case "tasks/resubscribe" -> tasks.resubscribe(requests.params(call, Params.TaskId.class).id());
            default -> null;
        };
    }

    private CompletableFuture<?> answer(JsonRpcRequests.Call call) {
        return switch (call.method()) {
            case "message/send" -> tasks.send(requests.params(call, Params.MessageSend.class));
            case "tasks/get" -> {
                Params.TaskQuery query = requests.params(call, Params.TaskQuery.class);
                yield CompletableFuture.completedFuture(tasks.get(query.id(), query.historyLength()));
            }
            case "tasks/cancel" -> tasks.cancel(requests.params(call, Params.TaskId.class).id());
            case "tasks/pushNotificationConfig/set", "tasks/pushNotificationConfig/get",
                    "tasks/pushNotificationConfig/list", "tasks/pushNotificationConfig/delete" ->
                    throw new A2aException(A2aException.PUSH_NOTIFICATION_NOT_SUPPORTED,
                            "Push notifications are not supported");
            case "agent/getAuthenticatedExtendedCard" -> throw new A2aException(
                    A2aException.EXTENDED_CARD_NOT_CONFIGURED, "There is no authenticated extended card");
            default -> throw new A2aException(A2aException.METHOD_NOT_FOUND, "Method not found: " + call.method());
        };
    }

    /** JSON-RPC requests are JSON; another declared media type is an invalid request (its body is not read). */
    private static void requireJson(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            if (!request.isEnded()) {
                request.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            throw new A2aException(A2aException.INVALID_REQUEST, "Invalid request: Content-Type must be "
                    + "application/json");
        }
    }

    /** The body {@code HttpGate} read under the body limit; empty when the request had none. */
    private static byte[] body(RoutingContext ctx) {
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        return body == null ? new byte[0] : body.getBytes();
    }

    private void writeJson(HttpServerResponse response, Object value) {
        if (response.ended() || response.closed()) {
            return;
        }
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an A2A answer", e);
        }
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }
}
