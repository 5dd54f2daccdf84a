package dev.tether.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The SSE client of the tests and harnesses, a real one over {@link HttpClient} (HTTP/1.1, 127.0.0.1): opens a stream
 * with a GET or POST, parses frames ({@code event:}, {@code id:}, {@code data:}, comments) on its own thread and hands
 * them out in order. The only SSE parsing in the tests: the service's own parser ({@code provider.http.SseParser})
 * reads model streams and drops {@code id:} and comments, which Tether's streams need. {@link #close()} drops the connection (a client going away mid-stream).
 */
public final class SseClient implements AutoCloseable {

    /** One SSE frame as read from the wire; {@code comment} is set for comment-only frames. */
    public record Frame(String event, String id, String data, String comment) {
        public boolean durable() {
            return id != null;
        }
    }

    /** End-of-stream marker in the queue. */
    private static final Frame EOF = new Frame(null, null, null, "<eof>");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Duration wait;
    private volatile boolean ended;

    private SseClient(HttpRequest request, Semaphore pace, Duration wait) throws IOException, InterruptedException {
        this.wait = wait;
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("SSE request failed: " + response.statusCode() + " " + text);
        }
        String type = response.headers().firstValue("content-type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            throw new AssertionError("not an event stream: " + type);
        }
        body = response.body();
        Thread reader = new Thread(() -> read(pace), "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code GET url} with {@code Accept: text/event-stream} and the given headers. */
    public static SseClient get(URI url, Map<String, String> headers, Semaphore pace) throws Exception {
        return get(url, headers, pace, Duration.ofSeconds(30));
    }

    /** {@link #get(URI, Map, Semaphore)} waiting up to {@code wait} for each frame. */
    public static SseClient get(URI url, Map<String, String> headers, Semaphore pace, Duration wait)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Accept", "text/event-stream").GET();
        headers.forEach(b::header);
        return new SseClient(b.build(), pace, wait);
    }

    /** {@code POST url} of a JSON body with {@code Accept: text/event-stream}. */
    public static SseClient post(URI url, String json) throws Exception {
        return post(url, json, Map.of());
    }

    /** {@code POST url} of a JSON body with {@code Accept: text/event-stream} and the given headers. */
    public static SseClient post(URI url, String json, Map<String, String> headers) throws Exception {
        return post(url, json, headers, Duration.ofSeconds(30));
    }

    /** {@link #post(URI, String, Map)} waiting up to {@code wait} for each frame. */
    public static SseClient post(URI url, String json, Map<String, String> headers, Duration wait) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Accept", "text/event-stream")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return new SseClient(b.build(), null, wait);
    }

    private void read(Semaphore pace) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            Map<String, String> fields = new HashMap<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!fields.isEmpty()) {
                        if (pace != null && !fields.containsKey("")) {
                            pace.acquire();
                        }
                        frames.add(new Frame(fields.get("event"), fields.get("id"), fields.get("data"),
                                fields.get("")));
                    }
                    fields = new HashMap<>();
                    continue;
                }
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                fields.merge(name, value, (a, b) -> a + "\n" + b);
            }
        } catch (IOException | InterruptedException e) {
            // closed by the caller or the server went away: the stream ends here
        } finally {
            ended = true;
            frames.add(EOF);
        }
    }

    /** The next event frame (comments skipped); fails when none arrives in time or the stream ended. */
    public Frame next() throws InterruptedException {
        return nextWhere(f -> f.event() != null);
    }

    /** The next frame carrying data, named or not (comments skipped); fails as {@link #next()} does. */
    public Frame nextData() throws InterruptedException {
        return nextWhere(f -> f.data() != null);
    }

    private Frame nextWhere(Predicate<Frame> wanted) throws InterruptedException {
        for (; ; ) {
            Frame f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no SSE frame within " + wait);
            }
            if (f == EOF) {
                frames.add(EOF);
                throw new AssertionError("the SSE stream ended");
            }
            if (wanted.test(f)) {
                return f;
            }
        }
    }

    /** Waits for the first comment ({@code following}): the subscription is registered. */
    public SseClient awaitFollowing() throws InterruptedException {
        Frame f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null || !"following".equals(f.comment())) {
            throw new AssertionError("expected the 'following' comment, got " + f);
        }
        return this;
    }

    /** Frames parsed so far and not yet taken. */
    public int buffered() {
        return frames.size();
    }

    /** Whether the server ended the stream (or it was closed). */
    public boolean ended() {
        return ended;
    }

    /** Waits until the server ends the stream, skipping what is left; fails when it does not end in time. */
    public void awaitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (; ; ) {
            Frame f = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (f == EOF) {
                frames.add(EOF);
                return;
            }
            if (f == null) {
                throw new AssertionError("the SSE stream did not end within " + wait);
            }
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
