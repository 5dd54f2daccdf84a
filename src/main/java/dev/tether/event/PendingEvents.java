package dev.tether.event;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The events one subscriber has not received yet, with the overflow policy of spec §5.5: at most {@code bound} live
 * events; when full, a new ephemeral event is dropped, a new durable event evicts the oldest buffered ephemeral event
 * or, if only durable ones are buffered, is queued beyond the bound; more than {@code durableBacklog} buffered durable
 * events cut the subscriber off. An ephemeral event only enters while fewer than {@code bound} events are buffered, so
 * eviction scans at most that many. Replayed journal events come first and do not count against the limits. Not
 * thread-safe: {@link SubscriberBuffer} guards it.
 */
final class PendingEvents {

    private final int bound;
    private final int durableBacklog;
    private final ArrayDeque<BusEvent> live;
    private final ArrayDeque<BusEvent> replayed = new ArrayDeque<>();
    private int durableBuffered;
    private int ephemeralBuffered;
    /** Dropped since {@link #takeDropped}: counted once per drain, not once per event. */
    private int dropped;
    private long lastDeliveredSeq;

    PendingEvents(BusSettings settings, long lastDeliveredSeq) {
        this.bound = settings.subscriberBuffer();
        this.durableBacklog = settings.durableBacklog();
        this.live = new ArrayDeque<>(Math.min(bound, 256));
        this.lastDeliveredSeq = lastDeliveredSeq;
    }

    int durableBacklog() {
        return durableBacklog;
    }

    /** Takes a live event by the policy. Returns {@code false} when the durable backlog is now exceeded. */
    boolean offer(BusEvent event) {
        if (event.isDurable()) {
            if (live.size() >= bound && ephemeralBuffered > 0) {
                evictOldestEphemeral();
            }
            live.addLast(event);
            return ++durableBuffered <= durableBacklog;
        }
        if (live.size() >= bound) {
            dropped++;
        } else {
            live.addLast(event);
            ephemeralBuffered++;
        }
        return true;
    }

    private void evictOldestEphemeral() {
        for (Iterator<BusEvent> it = live.iterator(); it.hasNext(); ) {
            if (!it.next().isDurable()) {
                it.remove();
                ephemeralBuffered--;
                dropped++;
                return;
            }
        }
    }

    /** The number of events dropped since the last call. */
    int takeDropped() {
        int n = dropped;
        dropped = 0;
        return n;
    }

    /**
     * Puts the journal's events after {@code afterSeq} first and drops the live events up to the last of them: those
     * were read from the journal (durable) or are older than it (ephemeral, which may be lost), so nothing comes twice
     * or out of order.
     */
    void replayFirst(List<BusEvent> journal, long afterSeq) {
        long last = afterSeq;
        for (BusEvent e : journal) {
            if (e.seq() != null && e.seq() > last) {
                replayed.addLast(e);
                last = e.seq();
            }
        }
        int cut = 0;
        int i = 0;
        for (BusEvent e : live) {
            i++;
            if (e.seq() != null && e.seq() <= last) {
                cut = i;
            }
        }
        for (int k = 0; k < cut; k++) {
            pollLive();
        }
    }

    /** The next event to deliver, or {@code null}. */
    BusEvent poll() {
        BusEvent e = replayed.pollFirst();
        if (e == null && (e = pollLive()) == null) {
            return null;
        }
        if (e.seq() != null) {
            lastDeliveredSeq = e.seq();
        }
        return e;
    }

    private BusEvent pollLive() {
        BusEvent e = live.pollFirst();
        if (e != null && e.isDurable()) {
            durableBuffered--;
        } else if (e != null) {
            ephemeralBuffered--;
        }
        return e;
    }

    boolean isEmpty() {
        return live.isEmpty() && replayed.isEmpty();
    }

    /**
     * Where a subscriber cut off now resumes: the last durable event delivered or, when none was, the one just before
     * the first that was not (0 when unknown: replay from the start).
     */
    long resumeAfter() {
        if (lastDeliveredSeq >= 0) {
            return lastDeliveredSeq;
        }
        for (ArrayDeque<BusEvent> events : List.of(replayed, live)) {
            for (BusEvent e : events) {
                if (e.seq() != null) {
                    return Math.max(0, e.seq() - 1);
                }
            }
        }
        return 0;
    }

    void clear() {
        live.clear();
        replayed.clear();
        durableBuffered = 0;
        ephemeralBuffered = 0;
    }
}
