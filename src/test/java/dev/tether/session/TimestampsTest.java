package dev.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The spec's timestamp form, written and read on the fast path exactly as the general formatter and parser do. */
class TimestampsTest {

    private static final DateTimeFormatter GENERAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatsLikeTheGeneralFormatterAndReadsItsOwnOutputBack() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_800L),
                    random.nextInt(1_000_000_000));
            String text = Timestamps.format(t);
            assertEquals(GENERAL.format(t), text);
            assertEquals(Timestamps.truncate(t), Timestamps.parse(text));
            assertEquals(OffsetDateTime.parse(text).toInstant(), Timestamps.parse(text));
        }
    }

    @Test
    void edgesOfTheFastPath() {
        for (String text : new String[] {"0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
                "1970-01-01T00:00:00.000Z", "2024-02-29T12:34:56.789Z", "2000-02-29T23:59:59.001Z"}) {
            Instant t = Timestamps.parse(text);
            assertEquals(OffsetDateTime.parse(text).toInstant(), t, text);
            assertEquals(text, Timestamps.format(t));
        }
        // years the pattern writes as year of era, or with more digits: the general formatter's output
        for (Instant t : new Instant[] {Instant.parse("0000-06-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-01-01T00:00:00Z")}) {
            assertEquals(GENERAL.format(t), Timestamps.format(t));
        }
    }

    @Test
    void otherOffsetsAndFormsStillParse() {
        Instant expected = Instant.parse("2024-05-01T10:00:00Z");
        assertEquals(expected, Timestamps.parse("2024-05-01T12:00:00+02:00"));
        assertEquals(expected, Timestamps.parse("2024-05-01t10:00:00z"));
        assertEquals(expected, Timestamps.parse("2024-05-01 10:00:00Z"));
        assertEquals(expected, Timestamps.parse(" 2024-05-01T10:00:00.000Z "));
        assertEquals(Instant.parse("2024-05-01T10:00:00.123456Z"), Timestamps.parse("2024-05-01T10:00:00.123456Z"));
    }

    @Test
    void invalidDatesAndTimesAreRejectedAsBefore() {
        for (String text : new String[] {"2023-02-29T00:00:00.000Z", "2024-02-30T00:00:00.000Z",
                "2024-13-01T00:00:00.000Z", "2024-00-10T00:00:00.000Z", "2024-01-00T00:00:00.000Z",
                "2024-01-01T25:00:00.000Z", "2024-01-01T00:60:00.000Z", "2024-01-01T00:00:60.000Z",
                "2024-01-01T00:00:0x.000Z", "2024-01-01T00:00:00.-01Z", "not a timestamp at all!!"}) {
            assertThrows(IllegalArgumentException.class, () -> Timestamps.parse(text), text);
        }
    }
}
