package dev.tether.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * RFC 3339 timestamps as the spec writes them: UTC, millisecond precision, {@code Z} suffix. Readers accept any RFC
 * 3339 offset and normalise to UTC.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The form {@link #format} writes: its fields (year … millisecond) start at {@code AT} and are {@code WIDTH} long. */
    private static final String CANONICAL = "0000-00-00T00:00:00.000Z";
    private static final int[] AT = {0, 5, 8, 11, 14, 17, 20};
    private static final int[] WIDTH = {4, 2, 2, 2, 2, 2, 3};
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years {@code yyyy} (year of era) writes as they are. */
    private static final long MIN_FAST_SECOND = -62_135_596_800L;
    private static final long MAX_FAST_SECOND = 253_402_300_799L;

    private Timestamps() {
    }

    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds > MAX_FAST_SECOND) {
            return FORMAT.format(instant);
        }
        // the formatter's general machinery costs several times this on the turn thread, which stamps every record
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
        int[] values = {t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                t.getNano() / 1_000_000};
        char[] out = CANONICAL.toCharArray();
        for (int f = 0; f < AT.length; f++) {
            digits(out, AT[f], values[f], WIDTH[f]);
        }
        return new String(out);
    }

    /** Parses an RFC 3339 timestamp with any offset. */
    public static Instant parse(String text) {
        Instant canonical = parseCanonical(text);
        if (canonical != null) {
            return canonical;
        }
        String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 timestamp: " + text, e);
        }
    }

    /**
     * The form {@link #format} writes ({@code yyyy-MM-ddTHH:mm:ss.SSSZ}, what every stored record holds), read without
     * the general parser; {@code null} for anything else, which the general parser then reads (or rejects).
     */
    private static Instant parseCanonical(String t) {
        if (t.length() != CANONICAL.length()) {
            return null;
        }
        int[] v = new int[AT.length];
        for (int f = 0; f < AT.length; f++) {
            int end = AT[f] + WIDTH[f];
            v[f] = digits(t, AT[f], WIDTH[f]);
            if (v[f] < 0 || t.charAt(end) != CANONICAL.charAt(end)) {
                return null;
            }
        }
        int year = v[0];
        int month = v[1];
        int day = v[2];
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth() || v[3] > 23
                || v[4] > 59 || v[5] > 59) {
            return null; // out of range: the general parser says why
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + v[3] * 3600L + v[4] * 60L + v[5];
        return Instant.ofEpochSecond(epochSecond, v[6] * 1_000_000L);
    }

    /** The non-negative decimal number of {@code n} ASCII digits at {@code from}; -1 when one is not a digit. */
    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static void digits(char[] out, int at, int value, int n) {
        for (int i = at + n - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The instant at the precision the store keeps (milliseconds). */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Jackson serializer writing {@link #format(Instant)}. */
    public static final class Serializer extends StdSerializer<Instant> {
        public Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    /** Jackson deserializer accepting any RFC 3339 offset. */
    public static final class Deserializer extends StdDeserializer<Instant> {
        public Deserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, e.getMessage());
            }
        }
    }
}
