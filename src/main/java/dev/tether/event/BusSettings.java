package dev.tether.event;

/**
 * Per-subscriber limits (spec §5.5, §12): the buffer bound (ephemeral events beyond it are dropped for that subscriber)
 * and the durable backlog after which a subscriber is cut off with {@code lagged}.
 */
public record BusSettings(int subscriberBuffer, int durableBacklog) {

    public static final BusSettings DEFAULTS = new BusSettings(256, 10_000);

    public BusSettings {
        if (subscriberBuffer < 1 || durableBacklog < 1) {
            throw new IllegalArgumentException("subscriber buffer and durable backlog must be positive");
        }
    }
}
