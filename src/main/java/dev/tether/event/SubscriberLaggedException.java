package dev.tether.event;

import dev.tether.session.TetherException;

/**
 * The terminal signal of a subscriber whose durable backlog exceeded its limit (spec §5.5): it was cut off and must
 * resubscribe with replay, from {@link #resumeAfter()}.
 */
public final class SubscriberLaggedException extends TetherException {

    private final long resumeAfter;

    public SubscriberLaggedException(String sessionId, long resumeAfter, int backlog) {
        super(409, "subscriber-lagged", "Subscriber of session " + sessionId + " fell more than " + backlog
                + " durable events behind; resubscribe after sequence " + resumeAfter);
        this.resumeAfter = resumeAfter;
    }

    /**
     * The sequence to resume after: the last durable event this subscriber received, or, when it received none, the
     * one just before the first it missed (0 when unknown: replay from the start).
     */
    public long resumeAfter() {
        return resumeAfter;
    }
}
