package dev.tether.agent;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * What the turn of a prompt with an {@code Idempotency-Key} records: the key and the request's hash go into the
 * journal record of its user message (remembered for {@code retention} from then), its result is recorded before its
 * terminal event. {@code onRecorded} learns the user message's journal sequence, after which the turn's events follow.
 */
record TurnKey(String key, String requestHash, Duration retention, LongConsumer onRecorded) {
}
