package dev.tether.event;

/**
 * The events of one {@link SessionBus}, appended once for all its subscribers; each {@link SubscriberBuffer} reads
 * them through its own {@link Cursor} on the delivery side and applies its overflow policy there. So an emit costs the
 * emitting thread one append, not an offer per subscriber (spec §5.5 asks only that emission never waits for a
 * subscriber; when a subscriber takes an event in is the delivery side's business).
 *
 * <p>Appended under the bus's emit lock only; read by any thread. Linked chunks: a chunk is garbage once every cursor
 * has left it, so the log holds what the slowest subscriber has not taken in yet (bounded: taking in never waits for
 * the subscriber to read), plus at most one chunk.
 */
final class EventLog {

    private static final int CHUNK = 32;

    private static final class Chunk {
        final BusEvent[] events = new BusEvent[CHUNK];
        /** Published after the event it counts is stored, so a reader that sees it sees the event. */
        volatile int size;
        volatile Chunk next;
    }

    /** Under the emit lock. */
    private Chunk tail = new Chunk();

    /** Under the emit lock. */
    void append(BusEvent event) {
        Chunk last = tail;
        int size = last.size;
        if (size < CHUNK) {
            last.events[size] = event;
            last.size = size + 1;
            return;
        }
        Chunk next = new Chunk();
        next.events[0] = event;
        next.size = 1;
        last.next = next;
        tail = next;
    }

    /** Under the emit lock, with no subscriber left: no cursor needs the events appended so far. */
    void forget() {
        if (tail.size > 0) {
            tail = new Chunk();
        }
    }

    /** Under the emit lock: a cursor at the end, so it reads only events appended from now on. */
    Cursor end() {
        return new Cursor(tail, tail.size);
    }

    /** One subscriber's read position; not thread-safe (its buffer's lock guards it). */
    static final class Cursor {
        private Chunk chunk;
        private int index;

        private Cursor(Chunk chunk, int index) {
            this.chunk = chunk;
            this.index = index;
        }

        /** The next event appended after the last one read, or {@code null} when there is none yet. */
        BusEvent next() {
            if (index == CHUNK) {
                Chunk next = chunk.next;
                if (next == null) {
                    return null;
                }
                chunk = next;
                index = 0;
            }
            return index < chunk.size ? chunk.events[index++] : null;
        }

        boolean hasNext() {
            return index < CHUNK ? index < chunk.size : chunk.next != null;
        }
    }
}
