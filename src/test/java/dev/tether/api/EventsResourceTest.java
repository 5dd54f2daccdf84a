package dev.tether.api;

import dev.tether.testing.SseClient;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.SessionBus;
import dev.tether.event.SinkAttachment;
import dev.tether.event.SessionBuses;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.event.journal.JournalSink;
import dev.tether.session.Session;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import dev.tether.testing.FakeLlmResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/sessions/{id}/events} over real HTTP on 127.0.0.1, read line by line with {@link HttpClient}. No turn
 * exists on this branch, so the tests drive the session's bus directly, with a {@link JournalSink} bound to the real
 * store's writer, as a turn will.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class) // shares the application of the loop tests
class EventsResourceTest {


    @Inject
    SessionBuses buses;

    @Inject
    SessionStore store;

    @Inject
    ObjectMapper mapper;

    @TestHTTPResource("/api/sessions/")
    URI sessions;

    /** Follows {@code GET /events} of a session; {@code pace} (when set) is taken once per frame, to read slowly. */
    private SseClient follow(String sessionId, Map<String, String> headers, String query, Semaphore pace)
            throws Exception {
        return SseClient.get(sessions.resolve(sessionId + "/events" + query), headers, pace);
    }

    private String newSession() {
        Session s = Session.create(null, null, null, Instant.now());
        store.create(s);
        return s.id();
    }

    private static SessionEvent done() {
        return new SessionEvent.Done(new SessionResult("ok", "s", TerminalReason.COMPLETED, 1, null, null));
    }

    private String json(SessionEvent e) throws Exception {
        return mapper.writeValueAsString(e);
    }

    @Test
    void framesCarryTypeJournalSequenceForDurableEventsAndTheEventJson() throws Exception {
        String id = newSession();
        SessionBus bus = buses.bus(id);
        List<SessionEvent> events = List.of(new SessionEvent.Thinking(),
                new SessionEvent.TokenEstimate(TokenSource.ROOT, "openai/gpt-4o", 3120, 105984),
                new SessionEvent.TextChunk("Let me\nlook."), new SessionEvent.TextComplete("Let me\nlook."),
                new SessionEvent.ToolCallStart("call_a1", "read", "{\"path\":\"a\"}"), done());
        try (SseClient reader = follow(id, Map.of(), "", null).awaitFollowing()) {
            List<Long> seqs = new ArrayList<>();
            try (SessionWriter writer = store.openWriter(id);
                 SinkAttachment sink = bus.attachSink(new JournalSink(writer, mapper))) {
                for (SessionEvent e : events) {
                    seqs.add(bus.emitAndGetSeq(e));
                }
            }
            for (int i = 0; i < events.size(); i++) {
                SseClient.Frame f = reader.next();
                SessionEvent e = events.get(i);
                assertEquals(e.type(), f.event());
                assertEquals(json(e), f.data(), "exact event JSON");
                if (e.isDurable()) {
                    assertEquals(Long.toString(seqs.get(i)), f.id(), "id is the journal sequence");
                } else {
                    assertNull(f.id(), "no id for ephemeral events");
                }
            }
            // The stream does not end after done: it follows the session.
            bus.emit(new SessionEvent.TextChunk("next turn"));
            assertEquals("next turn", mapper.readTree(reader.next().data()).get("text").asText());
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tether_events_emitted_total{type=\"token_estimate\"}"))
                .body(containsString("tether_events_subscribers"));
    }

    @Test
    void reconnectingWithLastEventIdReplaysWhatWasMissedThenFollowsLive() throws Exception {
        String id = newSession();
        SessionBus bus = buses.bus(id);
        try (SessionWriter writer = store.openWriter(id);
             SinkAttachment sink = bus.attachSink(new JournalSink(writer, mapper))) {
            String lastSeen;
            try (SseClient first = follow(id, Map.of(), "", null).awaitFollowing()) {
                bus.emit(new SessionEvent.TextComplete("one"));
                bus.emit(new SessionEvent.TextComplete("two"));
                first.next();
                lastSeen = first.next().id();
            }
            // Missed while disconnected.
            for (int i = 3; i <= 6; i++) {
                bus.emit(new SessionEvent.TextChunk("chunk " + i));
                bus.emit(new SessionEvent.TextComplete("t" + i));
            }
            try (SseClient again = follow(id, Map.of("Last-Event-ID", lastSeen), "", null).awaitFollowing()) {
                bus.emit(new SessionEvent.TextComplete("live"));
                List<String> texts = new ArrayList<>();
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    SseClient.Frame f = again.next();
                    assertEquals("text_complete", f.event(), "replay holds durable events only");
                    texts.add(mapper.readTree(f.data()).get("text").asText());
                    ids.add(Long.parseLong(f.id()));
                }
                assertEquals(List.of("t3", "t4", "t5", "t6", "live"), texts);
                for (int i = 1; i < ids.size(); i++) {
                    assertTrue(ids.get(i) > ids.get(i - 1));
                }
                assertTrue(ids.get(0) > Long.parseLong(lastSeen));
            }
            // ?after=N does the same when no header is sent.
            try (SseClient after = follow(id, Map.of(), "?after=" + lastSeen, null)) {
                assertEquals("t3", mapper.readTree(after.next().data()).get("text").asText());
            }
        }
    }

    @Test
    void badRequestsAreProblemsBeforeTheStreamStarts() {
        given().header("Accept", "text/event-stream").get("/api/sessions/no-such-session/events").then()
                .statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://tether.dev/problems/session-not-found"));
        given().header("Accept", "text/event-stream").get("/api/sessions/bad.id/events").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://tether.dev/problems/invalid-session-id"));
        String id = newSession();
        given().header("Accept", "text/event-stream").header("Last-Event-ID", "x7")
                .get("/api/sessions/" + id + "/events").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://tether.dev/problems/invalid-request"));
        given().header("Accept", "text/event-stream").get("/api/sessions/" + id + "/events?after=-1").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    /**
     * A reader that takes one frame per second does not slow emission: every emit returns while it has read almost
     * nothing; afterwards it still receives every durable event, in order.
     */
    @Test
    void aSlowReaderDoesNotSlowEmission() throws Exception {
        String id = newSession();
        SessionBus bus = buses.bus(id);
        Semaphore pace = new Semaphore(0);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        clock.scheduleAtFixedRate(() -> pace.release(), 0, 1, TimeUnit.SECONDS);
        String big = "x".repeat(8 * 1024); // 2000 × 8 KiB: far beyond socket buffers
        try (SseClient slow = follow(id, Map.of(), "", pace).awaitFollowing();
             SessionWriter writer = store.openWriter(id);
             SinkAttachment sink = bus.attachSink(new JournalSink(writer, mapper))) {
            List<Long> durableSeqs = new ArrayList<>();
            for (int d = 0; d < 20; d++) {
                for (int c = 0; c < 100; c++) {
                    bus.emit(new SessionEvent.TextChunk(big + c));
                }
                durableSeqs.add(bus.emitAndGetSeq(new SessionEvent.TextComplete("t" + d)));
            }
            int readWhileEmitting = slow.buffered();
            assertTrue(readWhileEmitting < 100, "emission finished while the slow reader had read "
                    + readWhileEmitting + " of 2020 frames");
            clock.shutdownNow();
            pace.release(1_000_000);
            List<Long> got = new ArrayList<>();
            while (got.size() < 20) {
                SseClient.Frame f = slow.next();
                if (f.id() != null) {
                    got.add(Long.parseLong(f.id()));
                }
            }
            assertEquals(durableSeqs, got, "every durable event, in order");
        } finally {
            clock.shutdownNow();
        }
    }
}
