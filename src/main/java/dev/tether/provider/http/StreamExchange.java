package dev.tether.provider.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.ProviderErrors;
import dev.tether.provider.ProviderException;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The streamed exchange of a provider, on the Vert.x HTTP client that Quarkus ships. The non-streaming call goes
 * through the provider's REST client interface; the stream cannot, for one behaviour the loop's restart protocol
 * (spec §3.8) depends on: a connection reset shortly after the 2xx status is lost by the REST client. Its SSE
 * {@code Multi} pauses the Vert.x response when the status arrives and registers its own response handlers only after
 * the rest of its handler chain ran (a later event-loop task); a reset read in between reaches a response without an
 * exception handler (Vert.x logs "Connection reset" from {@code HttpClientResponseImpl}), so the {@code Multi}
 * neither fails nor completes and the turn waits for the idle timeout. Evidence: with the stream on the REST client,
 * {@code AnthropicProviderTest#resetMidStreamIsRetryable} (frames then an RST in one burst) timed out instead of
 * failing retryably. Here the handlers are attached in the callback that delivers the response, so nothing is lost;
 * this class also knows the 2xx status before any event (the stream's {@code Started}), reads the JSON error body and
 * {@code Retry-After}/{@code retry-after-ms} of a non-2xx answer, and closes the exchange the moment the end marker
 * arrives or the subscriber cancels. Keys travel only in request headers and are never logged.
 */
public final class StreamExchange implements AutoCloseable {

    private static final int MAX_ERROR_BODY = 1 << 20;
    /**
     * Connections per host: one stream per running turn, and up to {@code tether.agent.max-concurrent-turns} (128)
     * turns run at once; with 64, the streams of 100 sessions prompting at once queued in the pool.
     */
    private static final int MAX_CONNECTIONS = 128;

    private final String provider;
    private final ObjectMapper json;
    private final HttpClient client;

    public StreamExchange(Vertx vertx, String provider, ObjectMapper json, Duration connectTimeout) {
        this.provider = provider;
        this.json = json;
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .setKeepAlive(true)
                .setMaxPoolSize(MAX_CONNECTIONS)
                .setForceSni(true)
                .setVerifyHost(true);
        // Connection-level failures reach the request or response that is in flight, where they are classified; the
        // handler only keeps Vert.x from logging each reset a second time as an unhandled error.
        this.client = vertx.httpClientBuilder().with(options)
                .withConnectHandler(conn -> conn.exceptionHandler(t -> {
                }))
                .build();
    }

    /**
     * POSTs {@code body} and streams the SSE events of the answer, after {@link SseEvent#started()} once the 2xx
     * status arrived. Items are emitted on a Vert.x event-loop thread. The {@code Multi} completes after the first
     * event matching {@code endMarker} (later bytes are ignored) or when the body ends cleanly without one; it fails
     * with a classified {@link ProviderException} on a non-2xx status (body and delay headers parsed) and with a
     * retryable one when the connection breaks. Cancelling resets the exchange, which closes its connection; the
     * reset runs on the exchange's event loop, never racing the response it cancels.
     */
    public Multi<SseEvent> stream(String url, Map<String, String> headers, String body, Predicate<SseEvent> endMarker) {
        return Multi.createFrom().emitter(em -> {
            AtomicReference<Runnable> reset = new AtomicReference<>();
            AtomicBoolean finished = new AtomicBoolean();
            AtomicBoolean cancelled = new AtomicBoolean();
            // The response has ended (its connection may be back in the pool, serving another request): a reset
            // scheduled by a subscriber that gave up before that must then not run, or it would kill that request.
            AtomicBoolean over = new AtomicBoolean();
            em.onTermination(() -> {
                cancelled.set(true);
                if (finished.compareAndSet(false, true)) {
                    Runnable r = reset.get();
                    if (r != null) {
                        r.run();
                    }
                }
            });
            client.request(options(url, headers)).onComplete(created -> {
                if (created.failed()) {
                    if (finished.compareAndSet(false, true)) {
                        em.fail(ProviderErrors.fromTransport(provider, created.cause()));
                    }
                    return;
                }
                HttpClientRequest req = created.result();
                Context context = Vertx.currentContext();
                Runnable resetUnlessOver = () -> {
                    if (!over.get()) {
                        req.reset();
                    }
                };
                reset.set(context == null ? resetUnlessOver : () -> context.runOnContext(v -> resetUnlessOver.run()));
                if (cancelled.get()) {
                    req.reset();
                    return;
                }
                req.send(Buffer.buffer(body)).onComplete(sent -> {
                    if (sent.failed()) {
                        if (finished.compareAndSet(false, true)) {
                            em.fail(ProviderErrors.fromTransport(provider, sent.cause()));
                        }
                        return;
                    }
                    HttpClientResponse resp = sent.result();
                    if (resp.statusCode() / 100 != 2) {
                        readError(resp).onComplete(err -> {
                            if (finished.compareAndSet(false, true)) {
                                em.fail(err.result());
                            }
                        });
                        return;
                    }
                    em.emit(SseEvent.started());
                    SseParser parser = new SseParser(event -> {
                        if (finished.get()) {
                            return;
                        }
                        boolean end = !event.comment() && endMarker.test(event);
                        // finished before the end marker goes out: a subscriber that cancels on seeing it must not
                        // reset an exchange that is over (its connection may already serve another request)
                        if (end && !finished.compareAndSet(false, true)) {
                            return;
                        }
                        em.emit(event);
                        if (end) {
                            em.complete();
                        }
                    });
                    resp.handler(buf -> parser.feed(buf.getBytes()));
                    resp.exceptionHandler(t -> {
                        over.set(true);
                        if (finished.compareAndSet(false, true)) {
                            em.fail(ProviderErrors.fromTransport(provider, t));
                        }
                    });
                    resp.endHandler(v -> {
                        over.set(true);
                        parser.finish();
                        if (finished.compareAndSet(false, true)) {
                            em.complete();
                        }
                    });
                });
            });
        });
    }

    private io.vertx.core.Future<ProviderException> readError(HttpClientResponse resp) {
        int status = resp.statusCode();
        MultiMap responseHeaders = resp.headers();
        return resp.body().transform(b -> {
            String text = "";
            if (b.succeeded()) {
                Buffer buf = b.result();
                text = buf.length() > MAX_ERROR_BODY ? buf.getString(0, MAX_ERROR_BODY, "UTF-8")
                        : buf.toString(StandardCharsets.UTF_8);
            }
            return io.vertx.core.Future.succeededFuture(
                    ProviderErrors.fromResponse(json, provider, status, responseHeaders::get, text));
        });
    }

    private static RequestOptions options(String url, Map<String, String> headers) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url);
        options.putHeader("content-type", "application/json");
        options.putHeader("accept", "text/event-stream");
        headers.forEach(options::putHeader);
        return options;
    }

    @Override
    public void close() {
        client.close();
    }
}
