package dev.tether.agent;

import java.time.Duration;

/** Why a started stream failed and must be restarted as a whole (spec §3.8). */
final class StreamStop extends RuntimeException {

    enum Reason {
        COLD_STALL("cold_stall"), MID_STREAM_STALL("mid_stream_stall"), PREMATURE_END("premature_end"),
        TRANSIENT_FAULT("transient_fault");

        final String wire;

        Reason(String wire) {
            this.wire = wire;
        }
    }

    final Reason reason;
    final Duration serverDelay;

    StreamStop(Reason reason, Duration serverDelay, Throwable cause) {
        super(reason.wire, cause, false, false);
        this.reason = reason;
        this.serverDelay = serverDelay;
    }
}
