package dev.tether.event;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts everything and stores nothing (spec §5.5), for tests and storage-less use. It still hands out increasing
 * sequence numbers, so that subscribers can tell durable events apart; nothing can be replayed from it.
 */
public final class NoopSink implements DurableSink {

    private final AtomicLong seq = new AtomicLong();

    @Override
    public long write(SessionEvent event) {
        return seq.incrementAndGet();
    }
}
