package dev.tether.a2a;

import dev.tether.agent.PromptRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The prompt of an incoming A2A message (spec §14.2): its text parts joined by newlines are the message, its file
 * parts with an {@code image/*} MIME type and inline bytes are image attachments, its data parts are added as their
 * JSON text. A turn that is running on the session is not queued behind: a second task in a busy context is refused.
 */
final class Prompts {

    private Prompts() {
    }

    static PromptRequest of(A2aMessage message) {
        if (message.parts() == null || message.parts().isEmpty()) {
            throw A2aException.invalidParams("message.parts must hold at least one part");
        }
        List<String> texts = new ArrayList<>();
        List<PromptRequest.ImageAttachment> images = new ArrayList<>();
        for (Part part : message.parts()) {
            if (part instanceof Part.Text t) {
                texts.add(t.text() == null ? "" : t.text());
            } else if (part instanceof Part.Data d) {
                texts.add(String.valueOf(d.data()));
            } else if (part instanceof Part.File f) {
                images.add(image(f.file()));
            } else {
                throw A2aException.invalidParams("unknown part");
            }
        }
        String text = String.join("\n", texts);
        if (text.isBlank() && images.isEmpty()) {
            throw A2aException.invalidParams("message must hold text or an image");
        }
        return new PromptRequest(text, images, null, null, PromptRequest.IfBusy.REJECT);
    }

    private static PromptRequest.ImageAttachment image(Part.FileContent file) {
        if (file == null) {
            throw A2aException.invalidParams("a file part needs a file");
        }
        String mime = file.mimeType() == null ? "" : file.mimeType().toLowerCase(Locale.ROOT).strip();
        if (!mime.startsWith("image/")) {
            throw new A2aException(A2aException.CONTENT_TYPE_NOT_SUPPORTED,
                    "Only image files are accepted (file.mimeType image/*), got " + (mime.isEmpty() ? "none" : mime));
        }
        if (file.bytes() == null) {
            throw A2aException.invalidParams("An image must be sent inline as file.bytes (base64); file.uri is not "
                    + "fetched");
        }
        return new PromptRequest.ImageAttachment("data:" + mime + ";base64," + file.bytes(), mime);
    }
}
