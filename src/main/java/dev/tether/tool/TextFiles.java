package dev.tether.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reading text files the way the file tools do: binary detection by a NUL byte, lenient UTF-8 line reading. Files are
 * opened without following a symlink in the last component: callers pass resolved real paths (§4.5), so a link found
 * there now was swapped in after the check and is refused.
 */
final class TextFiles {

    /** Bytes inspected for a NUL byte. */
    static final int BINARY_PROBE_BYTES = 8192;

    private TextFiles() {
    }

    /** True when the first 8 KiB of the file contain a NUL byte. */
    static boolean isBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] probe = in.readNBytes(BINARY_PROBE_BYTES);
            for (byte b : probe) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A reader that replaces malformed UTF-8 instead of failing, so any text file can be read. */
    static BufferedReader lenientReader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
    }
}
