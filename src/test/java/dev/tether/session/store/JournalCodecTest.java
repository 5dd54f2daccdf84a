package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.config.Json;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** A journal line ends with the CRC32 of what precedes it as 8 lower-case hex digits, and scans back. */
class JournalCodecTest {

    private final JournalCodec codec = new JournalCodec(Json.internal(Json.mapper()));

    @Test
    void theChecksumIsEightLowerCaseHexDigitsWithLeadingZeros() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] out = new byte[8];
        for (long crc : new long[] {0L, 1L, 0xfL, 0x0abcdef0L, 0xffffffffL, 0x80000000L}) {
            JournalCodec.writeHex(crc, out, 0);
            assertEquals(String.format("%08x", crc), new String(out, StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < 10_000; i++) {
            long crc = random.nextLong(0x1_0000_0000L);
            JournalCodec.writeHex(crc, out, 0);
            assertEquals(String.format("%08x", crc), new String(out, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void encodedLinesCarryTheirChecksumAndScanBack() {
        int leadingZero = 0;
        for (int seq = 1; seq <= 200; seq++) {
            ObjectNode record = Json.mapper().createObjectNode().put("seq", seq).put("kind", "event")
                    .put("text", "record " + seq);
            byte[] line = codec.encode(record);
            String text = new String(line, StandardCharsets.UTF_8);
            int crcAt = text.lastIndexOf(",\"crc\":\"");
            CRC32 crc = new CRC32();
            crc.update(line, 0, crcAt);
            assertEquals(",\"crc\":\"" + String.format("%08x", crc.getValue()) + "\"}\n", text.substring(crcAt));
            leadingZero += crc.getValue() < 0x1000_0000L ? 1 : 0;
            JournalCodec.Scan scan = codec.scan(line, "s");
            assertEquals(1, scan.lines().size());
            assertEquals(seq, scan.lastSeq());
            assertEquals("record " + seq, scan.lines().get(0).record().get("text").asText());
        }
        assertTrue(leadingZero > 0, "some checksum had a leading zero digit");
    }
}
