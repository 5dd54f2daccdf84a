package dev.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.RecordedRequest.Wire;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A scripted LLM server on 127.0.0.1 (ephemeral port) speaking the OpenAI Chat Completions
 * ({@code POST /v1/chat/completions}, {@code POST /chat/completions}) and Anthropic Messages ({@code POST
 * /v1/messages}) wire formats byte for byte, streamed (SSE over chunked transfer: {@code data: ...} frames and
 * {@code [DONE]} for OpenAI, {@code event:}/{@code data:} frames ending with {@code message_stop} for Anthropic) and
 * non-streamed. It is a raw-socket HTTP/1.1 server so that faults are real: resets are TCP RSTs, stalls hold the
 * connection open, early ends are clean chunked terminations without the end marker.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (FakeLlmServer llm = FakeLlmServer.start()) {
 *     llm.enqueue(Reply.text("Hel", "lo").usage(12, 3, 4L, null),                         // streamed in 2 deltas
 *                 Reply.toolCall("call_1", "read", "{\"path\":", "\"a.txt\"}"),            // args in 2 pieces
 *                 Reply.error(429, "rate_limit_error", "slow down").retryAfter("2"),
 *                 Reply.text("partial").endEarlyAfter(1),                                   // no [DONE]/message_stop
 *                 Reply.reset());                                                           // RST before any byte
 *     llm.defaultReply(Reply.text("fallback"));                 // when the queue is empty
 *     llm.responder(req -> Integer.valueOf(24).equals(req.maxTokens()) ? Reply.text("A title") : null);
 *     ... point a provider at llm.openAiBaseUrl() (".../v1") or llm.anthropicBaseUrl() ...
 *     RecordedRequest r = llm.takeRequest(Duration.ofSeconds(5));  // next request in arrival order
 *     r.path(); r.header("x-api-key"); r.json().path("messages"); r.isStream(); r.wire();
 * }
 * }</pre>
 *
 * <h2>Choosing a reply</h2>
 * For each request: the next queued reply ({@link #enqueue}); else the {@link #responder} (may return null); else the
 * {@link #defaultReply}; else an HTTP 418 error body saying that nothing was scripted (a fatal error, so a test
 * fails fast). Unknown paths get 404.
 *
 * <h2>Faults</h2>
 * {@link Reply#error} (status, vendor JSON body, {@code Retry-After}/{@code retry-after-ms} headers or a body
 * {@code retry_after}), {@link Reply#reset()}, {@link Reply#hang()}, and on a turn: {@code stallAfter(n)},
 * {@code endEarlyAfter(n)}, {@code resetAfter(n)}, {@code errorEventAfter(n, type, message)},
 * {@code nonJsonAfter(n)}, {@code chunkDelay(d)}. {@link #openConnections()} and {@link #exchangesInFlight()} show
 * whether clients closed what they opened. A stalled exchange waits until {@link #releaseStalls()} (the rest is then sent), the client
 * closes the connection ({@link #awaitClientDisconnect}), or {@link #close()}. {@link #awaitStalled} waits until a
 * stall point is reached.
 *
 * <p>Thread-safe; one instance may serve many concurrent connections. {@link #reset()} clears scripts and
 * recordings between tests that share a server.
 */
public final class FakeLlmServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NON_JSON_FRAME = "data: {this is not json\n\n";

    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final ConcurrentLinkedDeque<Reply> queue = new ConcurrentLinkedDeque<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> unconsumed = new LinkedBlockingQueue<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));
    private final Semaphore stalls = new Semaphore(0);
    private final Semaphore disconnects = new Semaphore(0);
    private final WireRenderer renderer = new WireRenderer();
    private volatile Function<RecordedRequest, Reply> responder;
    private volatile Reply defaultReply;
    private volatile boolean closed;

    private FakeLlmServer() throws IOException {
        serverSocket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-llm-accept-" + serverSocket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a server on 127.0.0.1 with an ephemeral port. */
    public static FakeLlmServer start() {
        try {
            return new FakeLlmServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The OpenAI-style base URL, {@code http://127.0.0.1:<port>/v1}. */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    /** The Anthropic-style base URL, {@code http://127.0.0.1:<port>}. */
    public String anthropicBaseUrl() {
        return baseUrl();
    }

    // ------------------------------------------------------------------ scripting

    /** Appends replies to the queue, served in order, one per request. */
    public FakeLlmServer enqueue(Reply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    /** The reply used when the queue is empty and the responder (if any) returned null. */
    public FakeLlmServer defaultReply(Reply reply) {
        this.defaultReply = reply;
        return this;
    }

    /** Decides replies by request content when the queue is empty; returning null falls through to the default. */
    public FakeLlmServer responder(Function<RecordedRequest, Reply> responder) {
        this.responder = responder;
        return this;
    }

    /** Replies still queued. */
    public int queuedReplies() {
        return queue.size();
    }

    /** Clears queue, responder, default reply and recorded requests, and releases current stalls. */
    public void reset() {
        queue.clear();
        responder = null;
        defaultReply = null;
        requests.clear();
        unconsumed.clear();
        stalls.drainPermits();
        disconnects.drainPermits();
        releaseStalls();
    }

    // ------------------------------------------------------------------ recording

    /** Every request received so far (since the last {@link #reset()}), in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    /** The most recent request; fails when none arrived. */
    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("no request received");
        }
        return requests.get(requests.size() - 1);
    }

    /**
     * The next request not yet taken, in arrival order, waiting up to {@code timeout}; fails when none arrives (a
     * test assertion, not a null to check).
     */
    public RecordedRequest takeRequest(Duration timeout) {
        try {
            RecordedRequest r = unconsumed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no request arrived within " + timeout);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits until at least {@code n} requests arrived in total; false on timeout. */
    public boolean awaitRequests(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (requests.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    requests.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Client connections open now (busy or idle in a keep-alive pool). */
    public int openConnections() {
        return sockets.size();
    }

    /** Requests being answered now: streaming, stalled or hung. Zero once every client is done or gone. */
    public int exchangesInFlight() {
        return exchanges.get();
    }

    // ------------------------------------------------------------------ fault control

    /** Lets every exchange currently stalled (stallAfter/hang) continue. */
    public void releaseStalls() {
        release.getAndSet(new CountDownLatch(1)).countDown();
    }

    /** Waits until an exchange reaches a stall point (each stall counts once); false on timeout. */
    public boolean awaitStalled(Duration timeout) {
        return acquire(stalls, timeout);
    }

    /**
     * Waits until a client closed a connection while the server was stalled or streaming to it (each closed
     * connection counts once); false on timeout. Proves that cancelling a subscription closes the HTTP exchange.
     */
    public boolean awaitClientDisconnect(Duration timeout) {
        return acquire(disconnects, timeout);
    }

    private static boolean acquire(Semaphore s, Duration timeout) {
        try {
            return s.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        closed = true;
        releaseStalls();
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ HTTP

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = serverSocket.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "fake-llm-conn-" + port());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                RecordedRequest req = readRequest(in);
                if (req == null) {
                    return;
                }
                record(req);
                exchanges.incrementAndGet();
                try {
                    if (!respond(socket, in, out, req)) {
                        return;
                    }
                } finally {
                    exchanges.decrementAndGet();
                }
            }
        } catch (IOException e) {
            // the client went away or the server closed: nothing to answer
        } finally {
            sockets.remove(socket);
        }
    }

    private void record(RecordedRequest req) {
        synchronized (requests) {
            requests.add(req);
            requests.notifyAll();
        }
        unconsumed.add(req);
    }

    private RecordedRequest readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(in);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    for (String l = readLine(in); l != null && !l.isEmpty(); l = readLine(in)) {
                        // trailers ignored
                    }
                    break;
                }
                buf.write(in.readNBytes(size));
                readLine(in);
            }
            body = buf.toByteArray();
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = in.readNBytes(length);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode json = null;
        if (!text.isBlank()) {
            try {
                json = JSON.readTree(text);
            } catch (IOException notJson) {
                json = null;
            }
        }
        String target = parts.length > 1 ? parts[1] : "/";
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return new RecordedRequest(seq.incrementAndGet(), parts[0], path, Map.copyOf(headers), text, json);
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] raw = line.toByteArray();
                int len = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                return new String(raw, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private Reply choose(RecordedRequest req) {
        Reply r = queue.poll();
        if (r != null) {
            return r;
        }
        Function<RecordedRequest, Reply> f = responder;
        if (f != null) {
            r = f.apply(req);
            if (r != null) {
                return r;
            }
        }
        return defaultReply;
    }

    /** Answers one request; false when the connection must not be reused. */
    private boolean respond(Socket socket, InputStream in, OutputStream out, RecordedRequest req) throws IOException {
        Wire wire = req.wire();
        if (wire == Wire.UNKNOWN || !"POST".equals(req.method())) {
            writeFixed(out, 404, "application/json", renderer.errorJson(Wire.OPENAI, "not_found_error",
                    "FakeLlmServer: no route for " + req.method() + " " + req.path(), null, null).toString(), Map.of());
            return true;
        }
        Reply reply = choose(req);
        if (reply == null) {
            writeFixed(out, 418, "application/json", renderer.errorJson(wire, "invalid_request_error",
                    "FakeLlmServer: no reply scripted for request #" + req.seq(), null, null).toString(), Map.of());
            return true;
        }
        if (reply instanceof Reply.Reset) {
            reset(socket);
            return false;
        }
        if (reply instanceof Reply.Hang) {
            return stall(socket, in);
        }
        if (reply instanceof Reply.Raw raw) {
            writeFixed(out, raw.status(), raw.contentType(), raw.body(), Map.of());
            return true;
        }
        if (reply instanceof Reply.Error err) {
            writeFixed(out, err.status, "application/json", renderer.errorBody(err, wire), err.headers);
            return true;
        }
        Reply.Turn turn = (Reply.Turn) reply;
        return req.isStream() ? stream(socket, in, out, req, turn) : single(socket, in, out, req, turn);
    }

    private boolean single(Socket socket, InputStream in, OutputStream out, RecordedRequest req, Reply.Turn turn)
            throws IOException {
        if (turn.fault == Reply.FaultKind.STALL && !stall(socket, in)) {
            return false;
        }
        if (turn.fault == Reply.FaultKind.RESET) {
            reset(socket);
            return false;
        }
        if (turn.fault == Reply.FaultKind.NON_JSON) {
            writeFixed(out, 200, "application/json", NON_JSON_FRAME, Map.of());
            return true;
        }
        if (turn.fault == Reply.FaultKind.ERROR_EVENT) {
            writeFixed(out, 500, "application/json",
                    renderer.errorJson(req.wire(), turn.errorType, turn.errorMessage, null, null).toString(), Map.of());
            return true;
        }
        String body = renderer.body(turn, req, req.seq());
        if (turn.fault == Reply.FaultKind.END_EARLY) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            return false;
        }
        writeFixed(out, 200, "application/json", body, Map.of());
        return true;
    }

    private boolean stream(Socket socket, InputStream in, OutputStream out, RecordedRequest req, Reply.Turn turn)
            throws IOException {
        List<WireRenderer.Frame> frames = renderer.frames(turn, req, req.seq());
        int faultAt = turn.fault == null ? -1 : faultPosition(frames, turn.faultAfter);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        for (int i = 0; i <= frames.size(); i++) {
            if (i == faultAt) {
                switch (turn.fault) {
                    case STALL -> {
                        if (!stall(socket, in)) {
                            return false;
                        }
                    }
                    case RESET -> {
                        reset(socket);
                        return false;
                    }
                    case END_EARLY -> {
                        endChunked(out);
                        return true;
                    }
                    case ERROR_EVENT -> {
                        writeChunk(socket, out, renderer.streamError(turn, req.wire()).text());
                        endChunked(out);
                        return true;
                    }
                    case NON_JSON -> {
                        if (!writeChunk(socket, out, NON_JSON_FRAME)) {
                            return false;
                        }
                    }
                }
            }
            if (i == frames.size()) {
                break;
            }
            if (!turn.chunkDelay.isZero()) {
                try {
                    Thread.sleep(turn.chunkDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (!writeChunk(socket, out, frames.get(i).text())) {
                return false;
            }
        }
        endChunked(out);
        return true;
    }

    /** Index of the first frame not sent: after the n-th delta frame, never past the end marker. */
    static int faultPosition(List<WireRenderer.Frame> frames, int n) {
        int end = frames.size();
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).endMarker()) {
                end = i;
                break;
            }
        }
        if (n <= 0) {
            for (int i = 0; i < end; i++) {
                if (frames.get(i).delta()) {
                    return i;
                }
            }
            return end;
        }
        int seen = 0;
        for (int i = 0; i < end; i++) {
            if (frames.get(i).delta() && ++seen == n) {
                return i + 1;
            }
        }
        return end;
    }

    private boolean writeChunk(Socket socket, OutputStream out, String frame) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        try {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        } catch (IOException e) {
            if (!closed) {
                disconnects.release();
            }
            closeQuietly(socket);
            return false;
        }
    }

    private static void endChunked(OutputStream out) throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Holds the exchange: returns true when released, false when the client closed the connection (counted as a
     * disconnect) or the server closed. Polls the socket so a client close is seen while waiting.
     */
    private boolean stall(Socket socket, InputStream in) throws IOException {
        CountDownLatch latch = release.get();
        stalls.release();
        socket.setSoTimeout(25);
        try {
            while (!closed) {
                if (latch.getCount() == 0) {
                    return true;
                }
                try {
                    if (in.read() == -1) {
                        disconnects.release();
                        return false;
                    }
                } catch (SocketTimeoutException idle) {
                    // still connected: check the release latch again
                } catch (IOException reset) {
                    disconnects.release();
                    return false;
                }
            }
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static void writeFixed(OutputStream out, int status, String contentType, String body,
                                   Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\nContent-Type: ").append(contentType)
                .append("\r\nContent-Length: ").append(bytes.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 418 -> "I'm a teapot";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 529 -> "Overloaded";
            default -> "Status";
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Frames of a turn as they would be streamed for {@code wire}, for tests of the server itself. */
    List<String> renderForTest(Reply.Turn turn, RecordedRequest req) {
        List<String> out = new ArrayList<>();
        renderer.frames(turn, req, req.seq()).forEach(f -> out.add(f.text()));
        return out;
    }
}
