package io.tpa.operation.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tpa.model.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a service writes a log line, and how to read its time, level and message back. A line a format does not
 * recognise (a Python traceback under a Patroni line, a Go panic) is a continuation of the line before it.
 */
public interface LineFormat {
    /**
     * The line's fields, or empty when it is not a line of this format.
     *
     * @param hostZone the time zone of the host that wrote it, for formats whose timestamps carry none
     */
    Optional<Parsed> parse(String line, ZoneId hostZone);

    /** True for a line that carries nothing to show (a separator between runs), which the reader leaves out. */
    default boolean skips(String line) {
        return false;
    }

    /** What a line says: when (never null), how grave, what, and the JSON object of a JSON line (else null). */
    record Parsed(Instant time, String level, String message, ObjectNode record) {
    }

    /**
     * PostgreSQL's {@code jsonlog}: one JSON object per line, {@code "timestamp": "2026-12-06 02:40:00.123 UTC"}
     * (in log_timezone, UTC on tpa's nodes), {@code error_severity}, {@code message}, and the statement apart.
     */
    LineFormat POSTGRES_JSONLOG = (line, hostZone) -> json(line).flatMap(record -> {
        Optional<Instant> time = postgresTime(record.path("timestamp").asText(""), hostZone);
        if (time.isEmpty()) {
            return Optional.empty();
        }
        String message = record.path("message").asText("");
        if (record.hasNonNull("statement") && !message.contains(record.path("statement").asText())) {
            message += " | statement: " + record.path("statement").asText();
        }
        return Optional.of(new Parsed(time.get(), record.path("error_severity").asText(""), message, record));
    });

    /**
     * Patroni's lines as tpa configures them ({@code %(asctime)s %(levelname)s: %(message)s}):
     * {@code 2026-12-06 02:40:00,123 INFO: no action. I am (pg1), the leader with the lock}, in the host's local time.
     */
    LineFormat PATRONI = new LineFormat() {
        private static final Pattern LINE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}),(\\d{3}) ([A-Z]+): ?(.*)");
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        @Override
        public Optional<Parsed> parse(String line, ZoneId hostZone) {
            Matcher matcher = LINE.matcher(line);
            return matcher.matches()
                    ? localTime(matcher.group(1), TIME, hostZone).map(time -> new Parsed(time.plusMillis(Integer.parseInt(matcher.group(2))),
                            matcher.group(3), matcher.group(4), null))
                    : Optional.empty();
        }
    };

    /**
     * etcd's zap logger: one JSON object per line, {@code "ts"} an ISO-8601 time with its offset
     * ({@code 2026-12-06T02:40:00.123Z}, or {@code +0000}), or seconds since the epoch; {@code level}, {@code msg}.
     */
    LineFormat ETCD_JSON = (line, hostZone) -> json(line).flatMap(record -> {
        Optional<Instant> time = isoOrEpoch(record.path("ts"));
        return time.map(instant -> new Parsed(instant, record.path("level").asText("").toUpperCase(java.util.Locale.ROOT),
                record.path("msg").asText(""), record));
    });

    /**
     * pgbouncer's lines: {@code 2026-12-06 02:40:00.123 UTC [4242] LOG C-0x55d0: app/app@127.20.0.1:40000 login attempt},
     * the time with its zone as PostgreSQL's {@code %m} writes it.
     */
    LineFormat PGBOUNCER = new LineFormat() {
        private static final Pattern LINE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\S+) \\[\\d+\\] ([A-Z]+) (.*)");

        @Override
        public Optional<Parsed> parse(String line, ZoneId hostZone) {
            Matcher matcher = LINE.matcher(line);
            return matcher.matches()
                    ? postgresTime(matcher.group(1), hostZone).map(time -> new Parsed(time, matcher.group(2), matcher.group(3), null))
                    : Optional.empty();
        }
    };

    /**
     * HAProxy's connection lines ({@code option tcplog}, written raw to standard output): {@code 127.20.0.9:40000
     * [06/Dec/2026:02:40:00.123] rw rw/pg1 1/0/5 100 -- 1/1/0/0/0 0/0}, the accept time in the host's local time. Its
     * master's lines ({@code [WARNING]  (42) : Server rw/pg2 is DOWN ...}) carry no time, so they are read as continuations
     * of the line before them.
     */
    /**
     * pgBackRest's log files: {@code 2026-12-07 02:40:42.855 P00   INFO: backup command begin 2.45: ...}, in the host's
     * local time; the {@code PROCESS START} banners between runs are not lines of their own.
     */
    LineFormat PGBACKREST = new LineFormat() {
        private static final Pattern LINE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) P\\d+ +([A-Z]+): (.*)");
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", java.util.Locale.ROOT);

        @Override
        public Optional<Parsed> parse(String line, ZoneId hostZone) {
            Matcher matcher = LINE.matcher(line);
            return matcher.matches()
                    ? localTime(matcher.group(1), TIME, hostZone).map(time -> new Parsed(time, matcher.group(2), matcher.group(3), null))
                    : Optional.empty();
        }

        @Override
        public boolean skips(String line) {
            return line.startsWith("-------------------PROCESS START");
        }
    };

    LineFormat HAPROXY = new LineFormat() {
        private static final Pattern LINE = Pattern.compile("\\S+ \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\] (.*)");
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", java.util.Locale.ROOT);

        @Override
        public Optional<Parsed> parse(String line, ZoneId hostZone) {
            Matcher matcher = LINE.matcher(line);
            return matcher.matches()
                    ? localTime(matcher.group(1), TIME, hostZone).map(time -> new Parsed(time, "INFO", line, null))
                    : Optional.empty();
        }
    };

    /** A time written without a zone, in the host's. */
    private static Optional<Instant> localTime(String text, DateTimeFormatter format, ZoneId hostZone) {
        try {
            return Optional.of(LocalDateTime.parse(text, format).atZone(hostZone).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<ObjectNode> json(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.JSON.readTree(line);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * PostgreSQL's {@code %m}: local time, milliseconds, then the zone as log_timezone names it (an abbreviation such
     * as UTC or CET, or an offset such as +03); a zone it cannot tell is taken as the host's.
     */
    static Optional<Instant> postgresTime(String text, ZoneId hostZone) {
        int space = text.lastIndexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.parse(text.substring(0, space).replace(' ', 'T'));
            return Optional.of(local.atZone(zone(text.substring(space + 1), hostZone)).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static ZoneId zone(String name, ZoneId fallback) {
        if (name.equals("UTC") || name.equals("GMT") || name.equals("Z")) {
            return ZoneOffset.UTC;
        }
        if (name.matches("[+-]\\d{2}(:?\\d{2})?")) {
            return ZoneOffset.of(name.length() == 3 ? name + ":00" : name);
        }
        try {
            return ZoneId.of(name, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            return fallback;
        }
    }

    private static Optional<Instant> isoOrEpoch(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Optional.of(Instant.ofEpochSecond(seconds.longValue(),
                    seconds.subtract(new BigDecimal(seconds.longValue())).movePointRight(9).longValue()));
        }
        String text = value.asText("");
        // Zap writes +0000 where ISO-8601 as Java reads it wants +00:00.
        Matcher offset = Pattern.compile("(.*[T ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)([+-]\\d{2})(\\d{2})").matcher(text);
        String iso = offset.matches() ? offset.group(1) + offset.group(2) + ":" + offset.group(3) : text;
        try {
            return Optional.of(OffsetDateTime.parse(iso.replace(' ', 'T')).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
