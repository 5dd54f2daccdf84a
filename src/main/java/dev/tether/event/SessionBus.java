package dev.tether.event;

import io.smallrye.mutiny.Multi;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * The single emission point of one session's events (spec §5.5). Thread-safe.
 *
 * <ol>
 *   <li>{@link #emit} is serialized: events get one total order, also when parallel tools emit.</li>
 *   <li>A durable event is written to the attached {@link DurableSink} first, synchronously, and gets its sequence.
 *       A sink error is logged and counted ({@code tether.events.sink.failures}) and does not stop delivery. With no
 *       sink attached a durable event is refused with {@link NoDurableSinkException}: it could not be recorded.</li>
 *   <li>Group commit: when the sink {@linkplain DurableSink#groupsWrites groups writes} and a {@link #groupWrites()}
 *       scope is open (a turn), durable events are held back until a durability point makes them durable with one
 *       flush (outside such a scope each is flushed at once): {@link #flush()}, the next ephemeral event
 *       (which is never held, so streaming is not delayed), a terminal event ({@link #emit(SessionEvent, Runnable)}),
 *       or detaching the sink. No subscriber sees a durable event before the flush that covers it returned.</li>
 *   <li>The event is then offered to every current subscriber's bounded buffer ({@link SubscriberBuffer}) by the
 *       {@link Fanout}. Offering never blocks and never runs subscriber code, so slow subscribers never slow the
 *       emitter.</li>
 * </ol>
 *
 * <p>Emitting, joining and completing happen under the emit lock, so that an event is in every buffer when
 * {@link #emit} returns, and a subscriber registered after an emit never gets that event.
 *
 * <p>Wiring a turn: whoever opens the session's writer attaches a sink bound to it for as long as it is open:
 * <pre>{@code
 * try (SessionWriter writer = store.openWriter(id);
 *      SinkAttachment sink = bus.attachSink(sinks.bindTo(writer))) {
 *     loop.run(..., bus);
 * }
 * }</pre>
 */
public final class SessionBus implements EventEmitter, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SessionBus.class);

    private final String sessionId;
    private final BusSettings settings;
    private final ReplaySource replaySource;
    private final Executor executor;
    private final BusMetrics metrics;
    private final ReentrantLock emitLock = new ReentrantLock();
    /** The subscribers; used under the emit lock. */
    private final Fanout fanout;
    private volatile DurableSink sink;
    /** Durable events waiting for the flush of their durability point (group commit). */
    private final HeldEvents held;
    private volatile boolean closed;
    /** The highest sequence this bus recorded or relayed (under the emit lock). */
    private long lastSeq;

    /**
     * @param replaySource where {@link #subscribe(long)} reads recorded durable events from
     * @param executor     where events are handed to subscribers that are waiting for them, and journal reads run;
     *                     in the service the worker pool
     */
    public SessionBus(String sessionId, BusSettings settings, ReplaySource replaySource, Executor executor,
                      BusMetrics metrics) {
        this.sessionId = Objects.requireNonNull(sessionId);
        this.settings = Objects.requireNonNull(settings);
        this.replaySource = Objects.requireNonNull(replaySource);
        this.executor = Objects.requireNonNull(executor);
        this.metrics = Objects.requireNonNull(metrics);
        this.fanout = new Fanout(executor, metrics);
        this.held = new HeldEvents(sessionId, metrics);
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * Records (when durable) and delivers an event. Returns as soon as the sink write (if any) is done and the event
     * is in every subscriber's buffer, or, for a durable event of a sink that groups writes, held for the next
     * durability point.
     *
     * @throws NoDurableSinkException the event is durable and no sink is attached
     * @throws IllegalStateException  the bus is closed (the session was deleted)
     */
    @Override
    public void emit(SessionEvent event) {
        emitAndGetSeq(event);
    }

    /** As {@link #emit}, returning the event's sequence ({@code null} for ephemeral events or a failed sink write). */
    public Long emitAndGetSeq(SessionEvent event) {
        return emit(event, null);
    }

    /**
     * As {@link #emit}, running {@code afterRecorded} once the event is recorded and flushed (durable, with everything
     * held before it) and before any subscriber
     * is offered it, while other emits and new subscriptions wait. A turn ends this way: it releases what it holds
     * (sink, writer, turn slot) between recording its terminal event and delivering it, so a client that reacts to
     * {@code done} at once finds the session free, and a subscriber that registers for the next turn never sees this
     * turn's terminal event. {@code afterRecorded} must not block for long; a failure in it is logged.
     */
    public Long emit(SessionEvent event, Runnable afterRecorded) {
        Objects.requireNonNull(event, "event");
        emitLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("event bus of session " + sessionId + " is closed");
            }
            Long seq = null;
            boolean awaitsFlush = false;
            if (event.isDurable()) {
                DurableSink s = sink;
                if (s == null) {
                    throw new NoDurableSinkException(sessionId, event.type());
                }
                try {
                    seq = s.write(event);
                    awaitsFlush = s.groupsWrites() && held.grouping();
                    if (s.groupsWrites() && !held.grouping()) {
                        s.flush(); // no durability points are being marked: each event is its own
                    }
                } catch (RuntimeException e) {
                    // Spec §5.5: a sink error does not stop delivery; replay will not have this event.
                    metrics.sinkFailure();
                    LOG.warnf(e, "durable event %s of session %s could not be recorded; delivering it anyway",
                            event.type(), sessionId);
                }
            }
            metrics.emitted(event.type());
            if (seq != null) {
                lastSeq = Math.max(lastSeq, seq);
            }
            BusEvent busEvent = new BusEvent(seq, event);
            if (awaitsFlush && afterRecorded == null) {
                held.add(busEvent); // delivered at the durability point that makes it durable
                return seq;
            }
            // an ephemeral event never waits, so the durable ones before it are made durable now (order is kept)
            if (awaitsFlush) {
                held.add(busEvent);
                flushHeld(false);
            } else {
                flushHeld(true);
            }
            if (afterRecorded != null) {
                runQuietly(afterRecorded, event);
            }
            if (awaitsFlush) {
                deliverHeld();
            } else {
                offer(busEvent);
            }
            return seq;
        } finally {
            emitLock.unlock();
        }
    }

    /**
     * A durability point: makes the durable events recorded so far durable (through the sink's flush) and delivers
     * them. A flush failure is logged and counted like a write failure, and the events are delivered anyway (§5.5).
     */
    public void flush() {
        emitLock.lock();
        try {
            flushHeld(true);
        } finally {
            emitLock.unlock();
        }
    }

    /**
     * Opens a scope in which durable events of a sink that groups writes wait for a durability point ({@link #flush()}
     * and the others above) instead of being flushed one by one; closing it flushes. A turn runs inside one.
     */
    public WriteGrouping groupWrites() {
        emitLock.lock();
        try {
            held.openScope();
        } finally {
            emitLock.unlock();
        }
        return new WriteGrouping(this);
    }

    void endGrouping() {
        emitLock.lock();
        try {
            held.closeScope();
            flushHeld(true);
        } finally {
            emitLock.unlock();
        }
    }


    /**
     * Delivers the durable events another process (another replica holding the session's writer) recorded up to
     * {@code announcedSeq}: read by {@code recordedAfter} from after the last sequence this bus delivered, so that a
     * missed announcement leaves no gap and a late one no duplicate. Nothing is read while this process writes the
     * session (its own events are emitted here) or nobody follows it.
     */
    public void relay(long announcedSeq, LongFunction<List<BusEvent>> recordedAfter) {
        emitLock.lock();
        try {
            if (closed || sink != null || announcedSeq <= lastSeq) {
                return;
            }
            if (fanout.count() == 0) {
                lastSeq = announcedSeq; // a later subscriber follows from here (or replays by Last-Event-ID)
                return;
            }
            long after = lastSeq > 0 ? lastSeq : announcedSeq - 1;
            for (BusEvent e : recordedAfter.apply(after)) {
                if (e.seq() != null && e.seq() > lastSeq) {
                    lastSeq = e.seq();
                    metrics.emitted(e.type());
                    offer(e);
                }
            }
        } finally {
            emitLock.unlock();
        }
    }

    /** Under the emit lock: flushes the sink when events wait for it, and delivers them when {@code deliver}. */
    private void flushHeld(boolean deliver) {
        held.flush(sink);
        if (deliver) {
            deliverHeld();
        }
    }

    private void deliverHeld() {
        fanout.offer(held.take());
    }

    private void offer(BusEvent busEvent) {
        fanout.offer(List.of(busEvent));
    }

    private void runQuietly(Runnable afterRecorded, SessionEvent event) {
        try {
            afterRecorded.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "session %s: the action after recording %s failed; delivering it anyway", sessionId,
                    event.type());
        }
    }

    /**
     * Attaches the sink durable events are written to until the returned attachment is closed. One at a time: the
     * session has one writer. Detaching waits for an emit in progress and flushes the held events, so the writer may
     * be closed right after.
     *
     * @throws IllegalStateException a sink is already attached
     */
    public SinkAttachment attachSink(DurableSink newSink) {
        Objects.requireNonNull(newSink, "sink");
        emitLock.lock();
        try {
            if (sink != null) {
                throw new IllegalStateException("session " + sessionId + " already has a DurableSink attached");
            }
            sink = newSink;
        } finally {
            emitLock.unlock();
        }
        return new SinkAttachment(this, newSink);
    }

    /** Whether durable events can be emitted now. */
    public boolean hasSink() {
        return sink != null;
    }

    void detach(DurableSink attached) {
        emitLock.lock();
        try {
            if (sink == attached) {
                flushHeld(true);
                sink = null;
            }
        } finally {
            emitLock.unlock();
        }
    }

    /**
     * Follows the session live: events emitted from now on, in emission order, through a buffer bounded by
     * {@link BusSettings}. The subscriber is registered at once (events emitted before the returned {@code Multi}
     * is subscribed are buffered), so subscribe before starting the work whose events you want. The {@code Multi}
     * takes one subscriber; it ends with {@link SubscriberLaggedException} when the subscriber falls too far behind,
     * and completes when the bus is closed.
     */
    public Multi<BusEvent> subscribe() {
        return register(null);
    }

    /**
     * Replays the durable events recorded after {@code afterSeq}, then follows live, with no gap and no duplicate.
     * The journal is read when the {@code Multi} is subscribed, on the executor.
     */
    public Multi<BusEvent> subscribe(long afterSeq) {
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must be >= 0, was " + afterSeq);
        }
        return register(afterSeq);
    }

    private Multi<BusEvent> register(Long afterSeq) {
        SubscriberBuffer subscriber = new SubscriberBuffer(this, settings, executor, fanout.drains(), metrics,
                replaySource, afterSeq);
        // under the emit lock: a subscriber sees exactly the events emitted after it registered, never one whose
        // delivery was under way (see emit(event, afterRecorded))
        emitLock.lock();
        try {
            if (closed) {
                subscriber.onCompletion();
            } else {
                fanout.join(subscriber);
            }
        } finally {
            emitLock.unlock();
        }
        return subscriber.events();
    }

    /**
     * Forgets a subscriber that was cancelled, failed or cut off. Never waits for the emit lock (a cancellation may
     * come from an event loop while an emit waits for the disk).
     */
    void unregister(SubscriberBuffer subscriber) {
        fanout.remove(subscriber);
    }

    /** Runs {@code action} while no event is being emitted. */
    void exclusive(Runnable action) {
        emitLock.lock();
        try {
            action.run();
        } finally {
            emitLock.unlock();
        }
    }

    /** Number of current subscribers. */
    public int subscriberCount() {
        return fanout.count();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Ends every subscription (after its buffered events) and refuses further emits. Idempotent. */
    @Override
    public void close() {
        emitLock.lock();
        try {
            if (closed) {
                return;
            }
            flushHeld(true);
            closed = true;
            sink = null;
            fanout.complete();
        } finally {
            emitLock.unlock();
        }
    }
}
