package dev.tether.session.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A durable event as recorded in the journal: its sequence, when it was written, and its JSON. */
public record StoredEvent(long seq, Instant at, JsonNode event) {
}
