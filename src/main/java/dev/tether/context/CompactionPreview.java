package dev.tether.context;

/**
 * A dry run of a manual compaction: what it would do, computed without model calls, events or caching. The after
 * estimate uses chunk compression of the prefix (the model summary is not known without calling the model).
 *
 * @param wouldCompact      false when there is nothing before the kept tail
 * @param splitIndex        first transcript index that would be kept verbatim
 * @param keptMessages      messages of the resulting context (summary message included)
 * @param strategy          what a real run would try first ({@code rlm}, or {@code chunk_compress} with
 *                          {@code rlm.mode: off})
 */
public record CompactionPreview(boolean wouldCompact, int splitIndex, int keptMessages, long beforeTokens,
                                long estimatedAfterTokens, long budget, CompactionStrategy strategy) {
}
