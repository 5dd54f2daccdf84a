package dev.tether.event;

import java.util.ArrayList;
import java.util.List;

/** An in-memory journal: a sink that records what it is given and replays it. */
final class RecordingSink implements DurableSink, ReplaySource {

    private final List<BusEvent> written = new ArrayList<>();
    private long seq;

    @Override
    public synchronized long write(SessionEvent event) {
        written.add(new BusEvent(++seq, event));
        return seq;
    }

    @Override
    public synchronized List<BusEvent> eventsAfter(long afterSeq) {
        return written.stream().filter(e -> e.seq() > afterSeq).toList();
    }

    synchronized List<BusEvent> written() {
        return List.copyOf(written);
    }
}
