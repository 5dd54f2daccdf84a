package dev.tether.importer;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One file of an import report (spec §10.5); {@code session_id} and {@code error} may be {@code null}. */
@JsonPropertyOrder({"path", "session_id", "outcome", "lines_parsed", "lines_skipped", "messages_dropped", "error"})
@RegisterForReflection
public record FileReport(String path, String sessionId, ImportOutcome outcome, long linesParsed, long linesSkipped,
                         long messagesDropped, String error) {

    static FileReport of(Rollout rollout, String sessionId, ImportOutcome outcome, String error) {
        RolloutStats s = rollout.stats();
        return new FileReport(rollout.path().toString(), sessionId, outcome, s.linesParsed(), s.linesSkipped(),
                s.messagesDropped(), error);
    }
}
