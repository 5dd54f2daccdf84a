package dev.tether.agent;

import dev.tether.event.SessionBus;
import dev.tether.event.SinkAttachment;
import dev.tether.session.store.SessionWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * What a running turn holds: the journal sink on its bus, its session writer, its turn slot and its place among the
 * admitted prompts ({@link TurnThreads}). Released once, in that order, right after the terminal event is durable and before any client receives it (spec §3.2 step 5), so a
 * client that sends its next prompt the moment it sees {@code done} (or the JSON result) finds the session free.
 * Releasing again does nothing, so the turn's {@code finally} can release on every other path.
 */
final class TurnRelease implements Runnable {

    private static final Logger LOG = Logger.getLogger(TurnRelease.class);

    private final String sessionId;
    private final SessionWriter writer;
    private final TurnRegistry.Turn slot;
    private final TurnThreads.Admission admission;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile SinkAttachment sink;

    TurnRelease(String sessionId, SessionWriter writer, TurnRegistry.Turn slot, TurnThreads.Admission admission) {
        this.sessionId = sessionId;
        this.writer = writer;
        this.slot = slot;
        this.admission = admission;
    }

    /** The journal sink bound to the writer; detached first on release. Returns it. */
    SinkAttachment holdSink(SinkAttachment attachment) {
        this.sink = attachment;
        return attachment;
    }

    @Override
    public void run() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            SinkAttachment s = sink;
            if (s != null) {
                s.close();
            }
            writer.close();
        } catch (RuntimeException e) {
            // closing checkpoints the snapshot; if that fails the journal still holds everything, so the turn stands
            LOG.warnf(e, "session %s: snapshot rewrite failed; the journal keeps the turn", sessionId);
        } finally {
            slot.close();
            admission.leave();
        }
    }
}
