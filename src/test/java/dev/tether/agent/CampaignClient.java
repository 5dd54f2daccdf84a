package dev.tether.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.AppClient;
import dev.tether.testing.SseClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client of {@link CrashCampaignIT}: over real HTTP it creates sessions and sends prompts ({@code P-<n>}, as JSON or
 * SSE, some with an {@code Idempotency-Key}) until told to stop, remembering what it sent and what was acknowledged
 * (a 200 {@code SessionResult} or an SSE terminal event). A prompt cut by a kill simply stays unacknowledged.
 */
final class CampaignClient {

    /** A prompt as sent; {@code result} is the acknowledged {@code SessionResult}, null when none arrived. */
    record Sent(String sessionId, String text, boolean sse, String key, JsonNode result) {
        boolean acknowledged() {
            return result != null;
        }

        /** Queued, not rejected, when the session is still busy: the previous turn may not have let go yet. */
        String body() {
            return AppClient.promptBody(text, "queue");
        }

        Map<String, String> headers() {
            return key == null ? Map.of() : Map.of("Idempotency-Key", key);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private CampaignClient() {
    }

    /** Sends prompts to {@code app} until {@code stop}; {@code sessions} are this client's, kept across restarts. */
    static List<Sent> run(AppClient app, Path workspace, List<String> sessions, Random rnd, AtomicInteger counter,
                          AtomicBoolean stop) {
        List<Sent> sent = new ArrayList<>();
        while (!stop.get()) {
            if (sessions.isEmpty() || rnd.nextInt(15) == 0) {
                String id = createSession(app, workspace);
                if (id == null) {
                    continue;
                }
                sessions.add(id);
            }
            String sessionId = sessions.get(rnd.nextInt(sessions.size()));
            String text = "P-" + counter.incrementAndGet();
            String key = rnd.nextInt(3) == 0 ? "key-" + text : null;
            boolean sse = rnd.nextBoolean();
            Sent s = new Sent(sessionId, text, sse, key, null);
            sent.add(new Sent(sessionId, text, sse, key, send(app, s)));
        }
        return sent;
    }

    /** Sends (or re-sends) a prompt; the acknowledged result, or null when the app went away first. */
    static JsonNode send(AppClient app, Sent s) {
        return s.sse() ? promptSse(app, s) : promptJson(app, s);
    }

    private static JsonNode promptJson(AppClient app, Sent s) {
        try {
            return app.promptResult(s.sessionId(), s.body(), s.headers());
        } catch (IOException e) {
            return null; // killed under it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static JsonNode promptSse(AppClient app, Sent s) {
        SseClient client;
        try {
            client = app.promptStream(s.sessionId(), s.body(), s.headers());
        } catch (IOException e) {
            return null;
        } catch (Exception e) {
            throw new AssertionError("prompt " + s.text() + " could not start", e);
        }
        try (client) {
            for (; ; ) {
                SseClient.Frame f = client.next();
                if (f.event().equals("done") || f.event().equals("error")) {
                    return JSON.readTree(f.data()).get("result");
                }
            }
        } catch (AssertionError | IOException e) {
            return null; // the stream ended without a terminal event: killed under it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String createSession(AppClient app, Path workspace) {
        try {
            return app.createSession(workspace, "campaign"); // titled: every model call is a loop step
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every session id of the listing, page by page. */
    static Set<String> listing(AppClient app) throws IOException, InterruptedException {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = app.getJson("/api/sessions?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.get("sessions").forEach(s -> ids.add(s.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return ids;
    }
}
