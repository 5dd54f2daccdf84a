package dev.tether.event;

import dev.tether.config.TetherConfig;

/**
 * Per-subscriber limits (spec §5.5, §12): the buffer bound (ephemeral events beyond it are dropped for that subscriber)
 * and the durable backlog after which a subscriber is cut off with {@code lagged}. The defaults are those of
 * {@code tether.events.*} in {@link TetherConfig.Events}.
 */
public record BusSettings(int subscriberBuffer, int durableBacklog) {

    public BusSettings {
        if (subscriberBuffer < 1 || durableBacklog < 1) {
            throw new IllegalArgumentException("subscriber buffer and durable backlog must be positive");
        }
    }

    public static BusSettings from(TetherConfig.Events events) {
        return new BusSettings(events.subscriberBuffer(), events.durableBacklog());
    }
}
