package dev.tether.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.testing.ConfigDefaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on the bus: inside a grouping scope (a turn), durable events of a sink that groups writes reach no
 * subscriber before the flush that makes them durable, and one flush covers every event of a durability point.
 */
class GroupCommitBusTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A journal that stages writes and makes them durable only at flush, counting flushes. */
    private static final class StagingSink implements DurableSink {
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong durable = new AtomicLong();
        private final AtomicInteger flushes = new AtomicInteger();

        @Override
        public long write(SessionEvent event) {
            return written.incrementAndGet();
        }

        @Override
        public boolean groupsWrites() {
            return true;
        }

        @Override
        public void flush() {
            if (durable.getAndSet(written.get()) != written.get()) {
                flushes.incrementAndGet();
            }
        }
    }

    /** Follows the bus and counts every durable event that arrived before it was durable. */
    private static final class Follower {
        final List<BusEvent> received = new CopyOnWriteArrayList<>();
        final AtomicInteger early = new AtomicInteger();

        Follower(SessionBus bus, StagingSink sink) {
            bus.subscribe().subscribe().with(e -> {
                if (e.seq() != null && e.seq() > sink.durable.get()) {
                    early.incrementAndGet();
                }
                received.add(e);
            });
        }

        boolean awaitCount(int n) {
            return dev.tether.testing.Eventually.holds(WAIT, () -> received.size() >= n);
        }
    }

    private final SessionBus bus = new SessionBus("s1", BusSettings.from(ConfigDefaults.tether().events()), ReplaySource.NONE, pool,
            new BusMetrics(registry));
    private final StagingSink sink = new StagingSink();
    private final SinkAttachment attachment = bus.attachSink(sink);
    private final Follower follower = new Follower(bus, sink);
    /** The scope a turn runs in; tests that need the other mode close it first. */
    private final WriteGrouping turn = bus.groupWrites();

    @Test
    void durableEventsWaitForTheFlushOfTheirDurabilityPointAndOneFlushCoversThemAll() {
        bus.emit(new SessionEvent.TextComplete("a"));
        bus.emit(new SessionEvent.ToolCallStart("c1", "read", "{}"));
        assertEquals(0, sink.flushes.get(), "nothing flushed before the durability point");
        bus.flush();
        assertTrue(follower.awaitCount(2));
        assertEquals(1, sink.flushes.get(), "one flush for both events");
        assertEquals(List.of(1L, 2L), follower.received.stream().map(BusEvent::seq).toList());
        assertEquals(0, follower.early.get(), "no durable event was delivered before it was durable");
    }

    @Test
    void anEphemeralEventFlushesTheDurableOnesBeforeItSoStreamingIsNeverHeld() {
        bus.emit(new SessionEvent.TextComplete("a"));
        bus.emit(new SessionEvent.TextChunk("b"));
        bus.emit(new SessionEvent.TextChunk("c"));
        assertTrue(follower.awaitCount(3));
        assertEquals(List.of("text_complete", "text_chunk", "text_chunk"),
                follower.received.stream().map(e -> e.event().type()).toList(), "emission order kept");
        assertEquals(1, sink.flushes.get(), "ephemeral events alone cost no flush");
        assertEquals(0, follower.early.get());
    }

    @Test
    void aTerminalEventIsDurableWithEverythingBeforeItWhenItsReleaseRuns() {
        bus.emit(new SessionEvent.TextComplete("a"));
        AtomicLong durableAtRelease = new AtomicLong(-1);
        bus.emit(new SessionEvent.Done(new SessionResult("a", "s1", TerminalReason.COMPLETED, 1, null, null)),
                () -> {
                    durableAtRelease.set(sink.durable.get());
                    attachment.close();
                });
        assertEquals(2, durableAtRelease.get(), "text_complete and done are durable before the release");
        assertEquals(1, sink.flushes.get());
        assertTrue(follower.awaitCount(2));
        assertEquals(0, follower.early.get());
    }

    @Test
    void outsideAGroupingScopeEveryDurableEventIsFlushedAndDeliveredAtOnce() {
        bus.emit(new SessionEvent.TextComplete("held"));
        turn.close();
        assertEquals(1, sink.flushes.get(), "closing the scope flushes what it held");
        bus.emit(new SessionEvent.TextComplete("a"));
        assertEquals(2, sink.flushes.get());
        bus.emit(new SessionEvent.TextComplete("b"));
        assertEquals(3, sink.flushes.get());
        assertTrue(follower.awaitCount(3));
        assertEquals(0, follower.early.get());
    }

    @Test
    void detachingTheSinkFlushesAndDeliversWhatItHolds() {
        bus.emit(new SessionEvent.ContextChanged("compaction", null, "2026-01-01T00:00:00Z"));
        attachment.close();
        assertTrue(follower.awaitCount(1));
        assertEquals(1, sink.flushes.get());
        assertEquals(0, follower.early.get());
    }
}
