package dev.tether.agent;

import dev.tether.session.ContentPart;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.PayloadTooLargeException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates prompt images (spec §2.5) and turns them into {@code image} parts; violations reject the prompt: too many
 * images or a malformed one is a 400 problem, an image over the decoded size limit a 413 problem.
 */
final class ImageAttachments {

    private static final Pattern DATA_URL =
            Pattern.compile("data:([A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+)(?:;[^,;]+=[^,;]*)*;base64,(.*)", Pattern.DOTALL);
    /** The image types the providers accept; anything else is not an image to them (and may not be one at all). */
    private static final Set<String> MEDIA_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private ImageAttachments() {
    }

    static List<ContentPart> toParts(List<PromptRequest.ImageAttachment> images, int maxImages, int maxBytes) {
        if (images.size() > maxImages) {
            throw new InvalidRequestException("At most " + maxImages + " images per prompt (got " + images.size() + ")");
        }
        List<ContentPart> parts = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            PromptRequest.ImageAttachment image = images.get(i);
            if (image == null || image.dataUrl() == null) {
                throw new InvalidRequestException("images[" + i + "]: data_url is required");
            }
            Matcher m = DATA_URL.matcher(image.dataUrl());
            if (!m.matches()) {
                throw new InvalidRequestException("images[" + i + "]: data_url must be data:<media type>;base64,<data>");
            }
            String dataType = m.group(1).toLowerCase(Locale.ROOT);
            String declared = image.mimeType() == null || image.mimeType().isBlank() ? null
                    : image.mimeType().trim().toLowerCase(Locale.ROOT);
            if (!MEDIA_TYPES.contains(dataType) || declared != null && !MEDIA_TYPES.contains(declared)) {
                throw new InvalidRequestException("images[" + i + "]: media type must be one of image/png, "
                        + "image/jpeg, image/gif, image/webp");
            }
            String payload = m.group(2).trim();
            // decoded size is known from the length; check before decoding to avoid allocating a huge buffer
            long approx = (long) payload.length() * 3 / 4;
            if (approx > maxBytes + 3L) {
                throw new PayloadTooLargeException("images[" + i + "]: larger than " + maxBytes + " bytes decoded");
            }
            byte[] decoded;
            try {
                decoded = Base64.getMimeDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("images[" + i + "]: invalid base64 data");
            }
            if (decoded.length == 0) {
                throw new InvalidRequestException("images[" + i + "]: empty image");
            }
            if (decoded.length > maxBytes) {
                throw new PayloadTooLargeException("images[" + i + "]: larger than " + maxBytes + " bytes decoded");
            }
            parts.add(new ContentPart.Image(image.dataUrl(), declared == null ? dataType : declared));
        }
        return parts;
    }
}
