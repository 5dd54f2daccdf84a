package dev.tether.agent;

/**
 * A change of a session's mutable fields ({@code PATCH}). A {@code null} component is absent: that field stays as it
 * is. A present {@link Change} with a {@code null} value clears the field ({@code title}, {@code max_steps}).
 *
 * @param title     the new title, set through {@code set_title} (§8.3); {@code Change(null)} clears it
 * @param maxSteps  the session's step limit (already checked); {@code Change(null)} removes it
 * @param directory the new workspace directory as given; {@link SessionEditor} checks that it lies inside the
 *                  workspace root
 */
public record SessionEdit(Change<String> title, Change<Integer> maxSteps, String directory) {

    /** A field that is present in the edit; {@code value} may be {@code null} (clear). */
    public record Change<T>(T value) {
    }
}
