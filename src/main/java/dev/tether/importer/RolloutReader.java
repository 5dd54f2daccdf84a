package dev.tether.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.SessionIds;
import io.airlift.compress.zstd.ZstdInputStream;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Streams Codex CLI rollout files ({@code *.jsonl}, and zstd-compressed {@code *.jsonl.zst}) into sessions (spec
 * §10). A file is never loaded whole: it is decoded and read line by line, each line bounded in length (a longer line
 * is discarded and counted as skipped), and mapped incrementally keeping only the newest {@value #MAX_MESSAGES}
 * messages, so heap use is bounded by the cap and the line limit, not by the file size. Thread-safe and stateless.
 *
 * <p><b>zstd in a native image.</b> The decoder is aircompressor's pure-Java one: no JNI library to ship or load, which
 * rules out {@code zstd-jni} (and Apache commons-compress, whose {@code ZstdCompressorInputStream} delegates to it).
 * aircompressor 0.27 (also 2.0.x, the same {@code io.airlift.compress.zstd} code; the {@code MemorySegment} rewrite
 * needs Java 22) reaches memory through {@code sun.misc.Unsafe}, in ways GraalVM/Mandrel support:
 * <ul>
 * <li>its {@code UnsafeUtil} static initialiser reads {@code Unsafe.theUnsafe} and computes
 * {@code objectFieldOffset(Buffer.class.getDeclaredField("address"))}. The class is initialised at run time in the
 * image (the native build's {@code target/native-sources/native-image.args} carry no {@code --initialize-at-build-time}),
 * so the offset is the image's own, not one baked in from the build JVM; the two fields are registered for reflection
 * below, so both lookups succeed at run time even where GraalVM's constant folding of reflective lookups does not
 * apply (a field registered for reflection is also registered for unsafe access);</li>
 * <li>every other use ({@code getByte/getShort/getInt/getLong}, {@code put*}, {@code copyMemory}) addresses heap
 * {@code byte[]} through {@code Unsafe.ARRAY_BYTE_BASE_OFFSET}, a JDK constant that native-image recomputes for its
 * own array layout;</li>
 * <li>{@code Buffer.address} itself is used only for direct {@code ByteBuffer}s, which the stream decoder never
 * gets.</li>
 * </ul>
 * Proved by {@code dev.tether.it.ServiceIT#importsACompressedCodexRollout}, which imports a {@code .jsonl.zst} rollout
 * through the packaged application: the JVM jar here, the native executable under {@code ./mvnw verify -Dnative}.
 */
@RegisterForReflection(classNames = {"sun.misc.Unsafe", "java.nio.Buffer"}, methods = false)
public final class RolloutReader {

    /** Messages kept per import (spec §12, "Codex import cap"). */
    public static final int MAX_MESSAGES = 4000;
    /** Longest line read; a longer one is skipped and counted. */
    public static final int MAX_LINE_CHARS = 64 * 1024 * 1024;
    /** Non-blank lines read when looking for a file's session id only. */
    public static final int HEADER_LINES = 8;

    private final ObjectMapper json;
    private final int maxMessages;
    private final int maxLineChars;

    public RolloutReader(ObjectMapper json) {
        this(json, MAX_MESSAGES, MAX_LINE_CHARS);
    }

    /** With other limits (tests exercise the line limit with small values). */
    public RolloutReader(ObjectMapper json, int maxMessages, int maxLineChars) {
        if (maxMessages < 1 || maxLineChars < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.json = json;
        this.maxMessages = maxMessages;
        this.maxLineChars = maxLineChars;
    }

    /** Whether discovery takes this file: {@code *.jsonl} or {@code *.jsonl.zst}. */
    public static boolean isRolloutFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.endsWith(".jsonl") || name.endsWith(".jsonl.zst");
    }

    /**
     * Maps a whole file. Never throws for bad content: bad lines are counted, and a file without a usable session id
     * or that cannot be read comes back failed ({@link Rollout#ok()} false) with the counts reached so far.
     */
    public Rollout read(Path file, ThreadNames names) {
        RolloutMapper mapper = new RolloutMapper(json, maxMessages);
        Instant fileTime = Instant.EPOCH;
        try {
            fileTime = Files.getLastModifiedTime(file).toInstant();
            try (BoundedLineReader lines = open(file)) {
                for (String line = lines.next(); line != null; line = lines.next()) {
                    if (lines.lastWasTooLong()) {
                        mapper.skipOversized();
                    } else {
                        mapper.accept(line);
                    }
                }
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // RuntimeException: a corrupt zstd frame surfaces as an unchecked exception from the decoder.
            // LinkageError: the decoder cannot initialise in this runtime; that file fails, the others still import.
            Rollout partial = mapper.finish(file, names, fileTime);
            return new Rollout(file, null, partial.heuristicTitle(), partial.directory(), partial.stats(),
                    "cannot read rollout: " + describe(e));
        }
        return mapper.finish(file, names, fileTime);
    }

    /**
     * The session id of a file, read from its first {@value #HEADER_LINES} non-blank lines only: the first
     * {@code session_meta} with a valid id, or the first line of a legacy rollout. Empty when none is found or the file
     * cannot be read.
     */
    public Optional<String> peekId(Path file) {
        try (BoundedLineReader lines = open(file)) {
            int seen = 0;
            for (String line = lines.next(); line != null && seen < HEADER_LINES; line = lines.next()) {
                if (line.isBlank() || lines.lastWasTooLong()) {
                    continue;
                }
                seen++;
                Optional<String> id = headerId(line);
                if (id.isPresent()) {
                    return id;
                }
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.empty(); // unreadable: not the file we look for
        }
        return Optional.empty();
    }

    private Optional<String> headerId(String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        JsonNode idNode;
        if (node.has("payload")) {
            if (!"session_meta".equals(node.path("type").asText(null))) {
                return Optional.empty();
            }
            idNode = node.get("payload").get("id");
        } else if (!node.has("type") && !node.has("record_type")) {
            idNode = node.get("id"); // legacy header {id, timestamp, instructions, git}
        } else {
            return Optional.empty();
        }
        return idNode != null && idNode.isTextual() && SessionIds.isValid(idNode.asText())
                ? Optional.of(idNode.asText()) : Optional.empty();
    }

    private BoundedLineReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        try {
            if (file.getFileName().toString().endsWith(".zst")) {
                // aircompressor's decoder is pure Java: no JNI library to load, so it also works in a native image
                in = new ZstdInputStream(in);
            }
            return new BoundedLineReader(new InputStreamReader(in, StandardCharsets.UTF_8), maxLineChars);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
