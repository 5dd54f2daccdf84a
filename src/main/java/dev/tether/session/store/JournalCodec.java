package dev.tether.session.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.jboss.logging.Logger;

/**
 * The journal line format. Each record is one line of JSON, {@code {"seq":…,"at":…,"kind":…,…,"crc":"1a2b3c4d"}}
 * followed by {@code \n}: the last field is the CRC32 (8 lower-case hex digits) of every byte of the line before
 * {@code ,"crc"}. The line stays plain JSON (readers that ignore {@code crc} can use it as is), and a torn write is
 * caught twice over: a line without its newline, or whose checksum does not match, is rejected.
 */
final class JournalCodec {

    private static final Logger LOG = Logger.getLogger(JournalCodec.class);
    private static final byte[] CRC_FIELD = ",\"crc\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"crc":"} + 8 hex digits + {@code "}}. */
    private static final int SUFFIX = CRC_FIELD.length + 8 + 2;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;

    JournalCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One decoded record with its place in the file ({@code end} is just past its newline). */
    record Line(long seq, String kind, ObjectNode record, int start, int end) {
    }

    /**
     * The outcome of scanning a journal: the good records in file order, and where the last good or skipped complete
     * line ends. Bytes after {@code validEnd} are a torn or corrupt tail that a writer truncates.
     */
    record Scan(List<Line> lines, int validEnd, long lastSeq) {
    }

    byte[] encode(ObjectNode record) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("journal record not serialisable", e);
        }
        int bodyLength = json.length - 1; // drop the closing brace, the crc field closes the object
        CRC32 crc = new CRC32();
        crc.update(json, 0, bodyLength);
        byte[] line = new byte[bodyLength + SUFFIX + 1];
        System.arraycopy(json, 0, line, 0, bodyLength);
        int p = bodyLength;
        System.arraycopy(CRC_FIELD, 0, line, p, CRC_FIELD.length);
        p += CRC_FIELD.length;
        writeHex(crc.getValue(), line, p); // not String.format: its parsing costs more than the rest of the line
        p += 8;
        line[p++] = '"';
        line[p++] = '}';
        line[p] = '\n';
        return line;
    }

    /** The 8 lower-case hex digits of a CRC32 value at {@code at}. */
    static void writeHex(long crc, byte[] out, int at) {
        for (int i = 7; i >= 0; i--) {
            out[at + i] = HEX[(int) (crc & 0xf)];
            crc >>>= 4;
        }
    }

    /** Decodes every line; corrupt lines are skipped with a warning, a torn last line is dropped with one. */
    Scan scan(byte[] data, String sessionId) {
        List<Line> lines = new ArrayList<>();
        int pos = 0;
        int validEnd = 0;
        long lastSeq = 0;
        int lineNo = 0;
        while (pos < data.length) {
            lineNo++;
            int nl = indexOf(data, (byte) '\n', pos);
            if (nl < 0) {
                LOG.warnf("session %s: journal ends with a torn record (line %d, %d bytes without newline); dropped",
                        sessionId, lineNo, data.length - pos);
                break;
            }
            Line line = decode(data, pos, nl);
            boolean last = nl + 1 >= data.length;
            if (line == null) {
                if (last) {
                    LOG.warnf("session %s: last journal record (line %d) is corrupt; dropped", sessionId, lineNo);
                    break;
                }
                LOG.warnf("session %s: journal line %d is corrupt; skipped", sessionId, lineNo);
            } else if (line.seq() <= lastSeq) {
                LOG.warnf("session %s: journal line %d repeats sequence %d; skipped", sessionId, lineNo, line.seq());
            } else {
                lines.add(line);
                lastSeq = line.seq();
            }
            pos = nl + 1;
            validEnd = pos;
        }
        return new Scan(lines, validEnd, lastSeq);
    }

    private Line decode(byte[] data, int start, int nl) {
        int len = nl - start;
        if (len < SUFFIX + 2 || data[nl - 1] != '}' || data[nl - 2] != '"') {
            return null;
        }
        int crcAt = nl - SUFFIX;
        for (int i = 0; i < CRC_FIELD.length; i++) {
            if (data[crcAt + i] != CRC_FIELD[i]) {
                return null;
            }
        }
        long expected;
        try {
            expected = Long.parseLong(new String(data, crcAt + CRC_FIELD.length, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(data, start, crcAt - start);
        if (crc.getValue() != expected) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(data, start, len);
            if (!(node instanceof ObjectNode obj) || !obj.path("seq").canConvertToLong() || obj.path("seq").asLong() < 1
                    || !obj.path("kind").isTextual()) {
                return null;
            }
            obj.remove("crc");
            return new Line(obj.get("seq").asLong(), obj.get("kind").asText(), obj, start, nl + 1);
        } catch (IOException e) {
            return null;
        }
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
