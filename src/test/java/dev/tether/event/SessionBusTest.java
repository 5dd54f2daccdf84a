package dev.tether.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.testing.ConfigDefaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionBusTest {

    private static final BusSettings DEFAULTS = BusSettings.from(ConfigDefaults.tether().events());
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BusMetrics metrics = new BusMetrics(registry);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private SessionBus bus(BusSettings settings, ReplaySource replay) {
        return new SessionBus("s1", settings, replay, pool, metrics);
    }

    private static SessionEvent chunk(int i) {
        return new SessionEvent.TextChunk("chunk " + i);
    }

    private static SessionEvent durable(int i) {
        return new SessionEvent.TextComplete("text " + i);
    }

    private static SessionEvent done() {
        return new SessionEvent.Done(new SessionResult("ok", "s1", TerminalReason.COMPLETED, 1, null, null));
    }

    private double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void durableEventsAreRecordedFirstAndDeliveredWithTheirSequence() {
        RecordingSink sink = new RecordingSink();
        SessionBus bus = bus(DEFAULTS, sink);
        bus.attachSink(sink);
        AssertSubscriber<BusEvent> a = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(10));
        AssertSubscriber<BusEvent> b = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(10));
        bus.emit(new SessionEvent.Thinking());
        bus.emit(durable(1));
        bus.emit(chunk(2));
        bus.emit(durable(3));
        List<BusEvent> expected = List.of(new BusEvent(null, new SessionEvent.Thinking()), new BusEvent(1L, durable(1)),
                new BusEvent(null, chunk(2)), new BusEvent(2L, durable(3)));
        a.awaitItems(4, WAIT);
        b.awaitItems(4, WAIT);
        assertEquals(expected, a.getItems());
        assertEquals(expected, b.getItems());
        assertEquals(List.of(new BusEvent(1L, durable(1)), new BusEvent(2L, durable(3))), sink.written());
        assertEquals(4, counter("tether.events.emitted"), "emitted counts every event");
        assertEquals(2, metrics.subscribers());
        a.cancel();
        b.cancel();
        assertEquals(0, metrics.subscribers());
        assertEquals(0, bus.subscriberCount());
    }

    /** Spec §12: subscriber buffer 256 events, durable backlog limit 10,000 (the defaults of tether.events.*). */
    @Test
    void theDefaultLimitsAreTheSpecs() {
        assertEquals(new BusSettings(256, 10_000), DEFAULTS);
    }

    @Test
    void emittingWithNoSubscribersIsFine() {
        SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
        bus.attachSink(new NoopSink());
        bus.emit(durable(1));
        bus.emit(chunk(1));
        assertEquals(2, counter("tether.events.emitted"));
    }

    @Test
    void aDurableEventWithNoSinkAttachedIsRefusedLoudly() {
        SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
        AssertSubscriber<BusEvent> s = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(10));
        bus.emit(chunk(1));
        assertThrows(NoDurableSinkException.class, () -> bus.emit(durable(1)));
        SinkAttachment attachment = bus.attachSink(new NoopSink());
        assertThrows(IllegalStateException.class, () -> bus.attachSink(new NoopSink()), "one sink at a time");
        bus.emit(durable(2));
        attachment.close();
        assertFalse(bus.hasSink());
        assertThrows(NoDurableSinkException.class, () -> bus.emit(durable(3)));
        s.awaitItems(2, WAIT);
        assertEquals(List.of(chunk(1), durable(2)), s.getItems().stream().map(BusEvent::event).toList());
    }

    /** Scenario 27 on the bus (through the loop over HTTP: TurnScenariosTest): every subscriber gets every event. */
    @Test
    void aFailingSinkIsCountedAndDeliveryGoesOn() {
        SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
        bus.attachSink(event -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
        });
        List<AssertSubscriber<BusEvent>> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subs.add(bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        }
        List<SessionEvent> emitted = List.of(new SessionEvent.Thinking(), chunk(1), durable(1),
                new SessionEvent.ToolCallStart("c1", "read", "{}"),
                new SessionEvent.ToolCallComplete("c1", "read", "x", true, 1), done());
        emitted.forEach(bus::emit);
        for (AssertSubscriber<BusEvent> s : subs) {
            s.awaitItems(emitted.size(), WAIT);
            assertEquals(emitted, s.getItems().stream().map(BusEvent::event).toList());
            assertTrue(s.getItems().stream().allMatch(e -> e.seq() == null), "nothing was recorded");
        }
        assertEquals(4, counter("tether.events.sink.failures"));
    }

    @Test
    void concurrentEmittersGetOneTotalOrderSeenAlikeByEverySubscriber() throws Exception {
        RecordingSink sink = new RecordingSink();
        SessionBus bus = bus(new BusSettings(100_000, 100_000), sink);
        bus.attachSink(sink);
        AssertSubscriber<BusEvent> a = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        AssertSubscriber<BusEvent> b = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        int threads = 6;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService emitters = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(emitters.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    // Alternate durable and ephemeral, tagged with thread and index.
                    String text = thread + ":" + i;
                    bus.emit(i % 2 == 0 ? new SessionEvent.TextComplete(text) : new SessionEvent.TextChunk(text));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        emitters.shutdown();
        int total = threads * perThread;
        a.awaitItems(total, WAIT);
        b.awaitItems(total, WAIT);
        assertEquals(a.getItems(), b.getItems(), "every subscriber sees the same total order");
        // Durable events reach subscribers in the order of their sequence, i.e. of the sink writes.
        List<BusEvent> durableSeen = a.getItems().stream().filter(BusEvent::isDurable).toList();
        assertEquals(sink.written(), durableSeen);
        // Each emitter's own events keep their order.
        int[] next = new int[threads];
        for (BusEvent e : a.getItems()) {
            String text = e.event() instanceof SessionEvent.TextComplete c ? c.text()
                    : ((SessionEvent.TextChunk) e.event()).text();
            String[] parts = text.split(":");
            int thread = Integer.parseInt(parts[0]);
            assertEquals(next[thread]++, Integer.parseInt(parts[1]));
        }
    }

    /**
     * Scenario 28: a subscriber that never reads while 1000 text_chunk and 20 durable events are emitted later gets
     * all 20 durable events in order; another subscriber gets everything; emitting never waits for the slow one.
     */
    @Test
    void aSubscriberThatNeverReadsLosesOnlyEphemeralEventsAndSlowsNobody() {
        RecordingSink sink = new RecordingSink();
        SessionBus bus = bus(DEFAULTS, sink);
        bus.attachSink(sink);
        AssertSubscriber<BusEvent> slow = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<BusEvent> fast = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        List<SessionEvent> emitted = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            for (int c = 0; c < 50; c++) {
                emitted.add(chunk(d * 50 + c));
            }
            emitted.add(durable(d));
        }
        // The emitting thread (this one) never waits on the slow subscriber: if emit blocked on it, this loop would
        // never end, since the slow subscriber requests nothing until afterwards. The loop paces itself on the fast
        // subscriber only so that "fast gets everything" does not depend on thread scheduling.
        for (int i = 0; i < emitted.size(); i++) {
            bus.emit(emitted.get(i));
            if (i % 100 == 99) {
                fast.awaitItems(i + 1, WAIT);
            }
        }
        assertEquals(0, slow.getItems().size(), "the slow subscriber requested nothing");
        fast.awaitItems(emitted.size(), WAIT);
        assertEquals(emitted, fast.getItems().stream().map(BusEvent::event).toList());

        slow.request(Long.MAX_VALUE);
        slow.awaitItems(256, WAIT);
        List<BusEvent> got = slow.getItems();
        assertEquals(256, got.size(), "the buffer bound");
        assertEquals(sink.written(), got.stream().filter(BusEvent::isDurable).toList(), "all 20 durable, in order");
        assertEquals(20, sink.written().size());
        // What it got is a subsequence of the emission order.
        int at = 0;
        for (BusEvent e : got) {
            while (!emitted.get(at).equals(e.event())) {
                at++;
            }
            at++;
        }
        assertEquals(emitted.size() - 256, counter("tether.events.dropped"));
    }

    @Test
    void deliveryFollowsDemand() {
        SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
        AssertSubscriber<BusEvent> s = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(2));
        for (int i = 0; i < 5; i++) {
            bus.emit(chunk(i));
        }
        s.awaitItems(2, WAIT);
        s.request(1);
        s.awaitItems(3, WAIT);
        assertEquals(List.of(chunk(0), chunk(1), chunk(2)), s.getItems().stream().map(BusEvent::event).toList());
    }

    @Test
    void aSubscriberPastTheDurableBacklogIsCutOffWithLaggedAndResumesFromTheJournal() {
        RecordingSink sink = new RecordingSink();
        SessionBus bus = bus(new BusSettings(4, 10), sink);
        bus.attachSink(sink);
        AssertSubscriber<BusEvent> reader = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(2));
        AssertSubscriber<BusEvent> idle = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(0));
        bus.emit(durable(1));
        bus.emit(chunk(1));
        reader.awaitItems(2, WAIT);
        for (int i = 2; i <= 11; i++) {
            bus.emit(durable(i));
            bus.emit(chunk(i));
        }
        // reader took durable 1 and chunk 1, then buffered durable 2..11: ten, the limit. idle buffered eleven.
        SubscriberLaggedException idleLag = assertInstanceOf(SubscriberLaggedException.class,
                idle.awaitFailure(WAIT).getFailure());
        assertEquals(0, idleLag.resumeAfter(), "received none: from just before the first it missed");
        assertEquals(1, bus.subscriberCount(), "the reader is still within its limit");
        SubscriberLaggedException readerLag;
        bus.emit(durable(12)); // the 11th buffered durable event cuts the reader off
        readerLag = assertInstanceOf(SubscriberLaggedException.class, reader.awaitFailure(WAIT).getFailure());
        assertEquals(1, readerLag.resumeAfter(), "the last durable event it received");
        assertEquals(0, bus.subscriberCount(), "lagged subscribers are removed");
        assertEquals(0, metrics.subscribers());

        // Resubscribing with replay gets every durable event after the resume point, then live ones.
        AssertSubscriber<BusEvent> again = bus.subscribe(readerLag.resumeAfter()).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        again.awaitItems(11, WAIT);
        bus.emit(durable(13));
        again.awaitItems(12, WAIT);
        List<Long> seqs = again.getItems().stream().map(BusEvent::seq).toList();
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L), seqs);
        assertEquals(2, reader.getItems().size());
    }

    @Test
    void aFullBufferEvictsTheOldestEphemeralForADurableEventAndQueuesDurableOnesBeyondTheBound() {
        RecordingSink sink = new RecordingSink();
        SessionBus bus = bus(new BusSettings(3, 100), sink);
        bus.attachSink(sink);
        AssertSubscriber<BusEvent> s = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(0));
        bus.emit(chunk(1));
        bus.emit(chunk(2));
        bus.emit(durable(1));
        bus.emit(chunk(3)); // full: dropped
        bus.emit(durable(2)); // evicts chunk 1
        bus.emit(durable(3)); // evicts chunk 2
        bus.emit(durable(4)); // only durable buffered: queued beyond the bound
        bus.emit(chunk(4)); // dropped
        s.request(Long.MAX_VALUE);
        s.awaitItems(4, WAIT);
        assertEquals(List.of(durable(1), durable(2), durable(3), durable(4)),
                s.getItems().stream().map(BusEvent::event).toList());
        assertEquals(4, counter("tether.events.dropped"));
    }

    /** Replay while events keep being emitted: no gap, no duplicate, order kept. */
    @Test
    void replayThenLiveHasNoGapAndNoDuplicateWhileEmissionGoesOn() throws Exception {
        RecordingSink sink = new RecordingSink();
        CountDownLatch replayStarted = new CountDownLatch(1);
        CountDownLatch emittedDuringReplay = new CountDownLatch(1);
        // The journal read starts, then waits until more events were emitted and delivered to the live buffer, so that
        // the journal holds events that are also buffered live.
        ReplaySource slowJournal = afterSeq -> {
            replayStarted.countDown();
            try {
                emittedDuringReplay.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sink.eventsAfter(afterSeq);
        };
        SessionBus bus = bus(new BusSettings(256, 100_000), slowJournal);
        bus.attachSink(sink);
        for (int i = 1; i <= 100; i++) {
            bus.emit(durable(i));
            bus.emit(chunk(i));
        }
        ExecutorService emitter = Executors.newSingleThreadExecutor();
        CountDownLatch subscribed = new CountDownLatch(1);
        Future<?> emitting = emitter.submit(() -> {
            for (int i = 101; i <= 3000; i++) {
                if (i == 150) {
                    subscribed.await();
                }
                bus.emit(durable(i));
                if (i % 3 == 0) {
                    bus.emit(chunk(i));
                }
                if (i == 400) {
                    replayStarted.await(20, TimeUnit.SECONDS);
                }
                if (i == 600) {
                    emittedDuringReplay.countDown();
                }
            }
            bus.emit(done());
            return null;
        });
        AssertSubscriber<BusEvent> s = BusEvents.untilTerminal(bus.subscribe(40)).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        subscribed.countDown();
        emitting.get(60, TimeUnit.SECONDS);
        emitter.shutdown();
        long lastSeq = sink.written().get(sink.written().size() - 1).seq();
        s.awaitCompletion(WAIT);
        assertTrue(s.getItems().get(s.getItems().size() - 1).event().isTerminal());
        List<Long> seqs = s.getItems().stream().filter(BusEvent::isDurable).map(BusEvent::seq).toList();
        List<Long> expected = new ArrayList<>();
        for (long q = 41; q <= lastSeq; q++) {
            expected.add(q);
        }
        assertEquals(expected, seqs, "every durable event after 40 exactly once, in order");
        // Ephemeral events come in emission order too: chunk numbers increase.
        int prev = 0;
        for (BusEvent e : s.getItems()) {
            if (e.event() instanceof SessionEvent.TextChunk c) {
                int n = Integer.parseInt(c.text().substring("chunk ".length()));
                assertTrue(n > prev, "chunk order");
                prev = n;
            }
        }
    }

    @Test
    void replayOfAQuietSessionDeliversTheJournalThenLive() {
        RecordingSink sink = new RecordingSink();
        SessionBus bus = bus(DEFAULTS, sink);
        bus.attachSink(sink);
        for (int i = 1; i <= 5; i++) {
            bus.emit(durable(i));
        }
        AssertSubscriber<BusEvent> s = bus.subscribe(2).subscribe().withSubscriber(AssertSubscriber.create(10));
        s.awaitItems(3, WAIT);
        bus.emit(chunk(6));
        s.awaitItems(4, WAIT);
        assertEquals(List.of(3L, 4L, 5L), s.getItems().stream().limit(3).map(BusEvent::seq).toList());
        assertNull(s.getItems().get(3).seq());
    }

    @Test
    void closingTheBusCompletesSubscribersAndRefusesEmits() {
        SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
        AssertSubscriber<BusEvent> s = bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(10));
        bus.emit(chunk(1));
        bus.close();
        s.awaitCompletion(WAIT);
        assertEquals(1, s.getItems().size());
        assertThrows(IllegalStateException.class, () -> bus.emit(chunk(2)));
        bus.subscribe().subscribe().withSubscriber(AssertSubscriber.create(1)).awaitCompletion(WAIT);
        assertEquals(0, metrics.subscribers());
    }

    @Test
    void untilTerminalEndsAfterDoneAndReleasesTheSubscription() {
        SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
        bus.attachSink(new NoopSink());
        AssertSubscriber<BusEvent> s = BusEvents.untilTerminal(bus.subscribe()).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        bus.emit(chunk(1));
        bus.emit(done());
        bus.emit(chunk(2));
        s.awaitCompletion(WAIT);
        assertEquals(List.of(chunk(1), done()), s.getItems().stream().map(BusEvent::event).toList());
        assertEquals(0, bus.subscriberCount());
    }

    @Test
    void untilTerminalEndsRightAfterTheTerminalEventForAOneByOneSubscriberAndDropsNothing() {
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Infrastructure.setDroppedExceptionHandler(dropped::add);
        try {
            SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
            bus.attachSink(new NoopSink());
            AssertSubscriber<BusEvent> oneByOne = BusEvents.untilTerminal(bus.subscribe()).subscribe()
                    .withSubscriber(AssertSubscriber.create(2));
            AssertSubscriber<BusEvent> cancelling = BusEvents.untilTerminal(bus.subscribe()).subscribe()
                    .withSubscriber(AssertSubscriber.create(2));
            bus.emit(chunk(1));
            bus.emit(done());
            oneByOne.awaitItems(2, WAIT);
            cancelling.awaitItems(2, WAIT);
            cancelling.cancel();
            oneByOne.request(1);
            oneByOne.awaitCompletion(WAIT);
            assertEquals(List.of(chunk(1), done()), oneByOne.getItems().stream().map(BusEvent::event).toList());
            assertEquals(0, bus.subscriberCount());
            assertEquals(List.of(), dropped);
        } finally {
            Infrastructure.resetDroppedExceptionHandler();
        }
    }

    @Test
    void eventsEmittedBetweenSubscribeAndSubscriptionAreKept() {
        SessionBus bus = bus(DEFAULTS, ReplaySource.NONE);
        var multi = bus.subscribe();
        bus.emit(chunk(1));
        AssertSubscriber<BusEvent> s = multi.subscribe().withSubscriber(AssertSubscriber.create(5));
        s.awaitItems(1, WAIT);
        assertEquals(chunk(1), s.getItems().get(0).event());
    }
}
