package dev.tether.event.journal;

import dev.tether.testing.StoreDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.event.BusEvent;
import dev.tether.event.BusEvents;
import dev.tether.event.BusMetrics;
import dev.tether.event.BusSettings;
import dev.tether.event.SessionBus;
import dev.tether.event.SinkAttachment;
import dev.tether.event.SessionBuses;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.session.Session;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.store.FileSessionStore;
import dev.tether.session.store.SessionWriter;
import dev.tether.session.store.StoreSettings;
import dev.tether.testing.ConfigDefaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable events go through the real store's journal (fsynced) and are replayed from it, also by a new store and a
 * new bus on the same data directory: that is what a service restart amounts to for events (the journal is the only
 * source; nothing is kept in memory across instances). A Quarkus restart inside one test is avoided on purpose.
 */
class JournalReplayTest {

    private static final BusSettings DEFAULTS = BusSettings.from(ConfigDefaults.tether().events());
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final ObjectMapper mapper = Json.mapper();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private SessionBuses buses(FileSessionStore store) {
        return new SessionBuses(DEFAULTS, new StoreEventJournal(store, mapper),
                new BusMetrics(new SimpleMeterRegistry()), pool);
    }

    private static SessionEvent done() {
        return new SessionEvent.Done(new SessionResult("ok", "x", TerminalReason.COMPLETED, 1, null, null));
    }

    @Test
    void durableEventsAreReplayedFromTheJournalByANewStoreAndBus() {
        List<SessionEvent> durable = List.of(
                new SessionEvent.TokenUsage(TokenSource.ROOT, "openai/gpt-4o", 10, 2, null, null, 5),
                new SessionEvent.UsageReport(10, 2, 5, "openai/gpt-4o"),
                new SessionEvent.TextComplete("Let me look."),
                new SessionEvent.ToolCallStart("c1", "read", "{\"path\":\"a\"}"),
                new SessionEvent.ToolCallComplete("c1", "read", "x", true, 3), done());
        String id;
        List<Long> seqs;
        // First "process": store A, bus A.
        try (FileSessionStore storeA = new FileSessionStore(dataDir, StoreDefaults.settings(), new SimpleMeterRegistry())) {
            Session session = Session.create(null, null, null, Instant.now());
            id = session.id();
            storeA.create(session);
            SessionBus busA = buses(storeA).bus(id);
            AssertSubscriber<BusEvent> live = busA.subscribe().subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            try (SessionWriter writer = storeA.openWriter(id);
                 SinkAttachment sink = busA.attachSink(new JournalSink(writer, mapper))) {
                busA.emit(new SessionEvent.Thinking());
                for (SessionEvent e : durable) {
                    busA.emit(e);
                    busA.emit(new SessionEvent.TextChunk("ephemeral"));
                }
            }
            live.awaitItems(1 + 2 * durable.size(), WAIT);
            seqs = live.getItems().stream().filter(BusEvent::isDurable).map(BusEvent::seq).toList();
        }
        assertEquals(durable.size(), seqs.size());

        // Second "process": a new store and a new bus on the same directory replay from the journal.
        try (FileSessionStore storeB = new FileSessionStore(dataDir, StoreDefaults.settings(), new SimpleMeterRegistry())) {
            SessionBus busB = buses(storeB).bus(id);
            AssertSubscriber<BusEvent> all = busB.subscribe(0).subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            all.awaitItems(durable.size(), WAIT);
            assertEquals(durable, all.getItems().stream().map(BusEvent::event).toList(), "exact events");
            assertEquals(seqs, all.getItems().stream().map(BusEvent::seq).toList(), "same sequences (SSE ids)");

            // Resume after the third durable event: the replay ends with the first turn's done.
            AssertSubscriber<BusEvent> resumed = BusEvents.untilTerminal(busB.subscribe(seqs.get(2))).subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            resumed.awaitCompletion(WAIT);
            assertEquals(durable.subList(3, 6), resumed.getItems().stream().map(BusEvent::event).toList());

            // A new turn after the restart: live delivery continues the sequence.
            AssertSubscriber<BusEvent> following = busB.subscribe(seqs.get(5)).subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            try (SessionWriter writer = storeB.openWriter(id);
                 SinkAttachment sink = busB.attachSink(new JournalSink(writer, mapper))) {
                busB.emit(new SessionEvent.TextComplete("second turn"));
                busB.emit(done());
            }
            following.awaitItems(2, WAIT);
            assertEquals(List.of(new SessionEvent.TextComplete("second turn"), done()),
                    following.getItems().stream().map(BusEvent::event).toList());
            assertTrue(following.getItems().get(0).seq() > seqs.get(5), "sequences continue after a restart");

            AssertSubscriber<BusEvent> replayAll = busB.subscribe(0).subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            replayAll.awaitItems(durable.size() + 2, WAIT);
        }
    }
}
