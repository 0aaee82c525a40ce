package io.tpa.operation.logs;

import io.tpa.error.UserError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --since} of `tpa logs`: a duration back from now (30s, 10m, 2h, 1d) or a time (ISO-8601; UTC without an offset). */
public final class Since {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d)");

    private Since() {
    }

    /** The instant a text names, counted back from now for a duration; null for a null text. */
    public static Instant parse(String text, Instant now) {
        if (text == null) {
            return null;
        }
        String value = text.strip();
        Matcher duration = DURATION.matcher(value);
        if (duration.matches()) {
            long amount = Long.parseLong(duration.group(1));
            return now.minus(switch (duration.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        try {
            return OffsetDateTime.parse(value.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notADate) {
                    throw new UserError("--since: '" + text + "' is neither a duration nor a time; write a duration such as 30s, 10m, "
                            + "2h or 1d, or a time such as 2026-12-06T14:00:00Z (UTC when it has no offset) or 2026-12-06");
                }
            }
        }
    }
}
