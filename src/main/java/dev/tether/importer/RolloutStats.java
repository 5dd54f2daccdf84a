package dev.tether.importer;

/**
 * What reading one rollout file found (spec §10.4): non-blank lines understood (including deliberately ignored kinds),
 * bad lines skipped (not JSON, not an object, lacking what their kind requires, or longer than the line limit), and
 * messages dropped by the 4000-message cap (including leading tool results whose call was dropped).
 */
public record RolloutStats(long linesParsed, long linesSkipped, long messagesDropped) {
}
