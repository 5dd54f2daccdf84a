package dev.tether.agent;

import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.Titles;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Objects;

/**
 * Changes a session's mutable fields ({@code PATCH /api/sessions/{id}}) as a writer of the session: refused with 409
 * while a turn runs; the change is one journaled (fsynced) metadata record that bumps {@code updated_at}; a changed
 * directory (checked as on create, {@link SessionFactory#directory}) or a cleared title then goes through the
 * context-change hook (§8.4).
 */
@Singleton
public record SessionEditor(SessionWriting writing, ContextChangeHook hook, SessionFactory factory) {

    /** Applies the edit and returns the session as stored afterwards. */
    public Session edit(String sessionId, SessionEdit edit) {
        String directory = edit.directory() == null ? null : factory.directory(edit.directory());
        return writing.run(sessionId, (writer, bus) -> {
            Session before = writer.current();
            String title = edit.title() == null ? before.title() : Titles.settable(edit.title().value());
            SessionMetadata metadata = before.metadata();
            if (edit.maxSteps() != null) {
                metadata = metadata.withMaxSteps(edit.maxSteps().value());
            }
            boolean directoryChanged = directory != null && !directory.equals(metadata.directory());
            if (directoryChanged) {
                metadata = metadata.withDirectory(directory);
            }
            if (!Objects.equals(title, before.title()) || !metadata.equals(before.metadata())) {
                writer.updateMeta(title, metadata, before.usage(), Instant.now());
            }
            if (directoryChanged) {
                hook.apply(writer, bus, ContextChange.DIRECTORY);
            }
            // a title that set_title turns into null (blank, boilerplate) is a clear, like an explicit null
            if (edit.title() != null && title == null) {
                hook.apply(writer, bus, ContextChange.TITLE_CLEARED);
            }
            return writer.current();
        });
    }
}
