package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What PostgreSQL logs beyond what every group logs, and how long its log files are kept ({@code postgres.logging}).
 *
 * @param slowStatementMs statements that run at least this long are logged with their duration; 0 logs every statement,
 *                        -1 none ({@code log_min_duration_statement})
 * @param keepDays        how long log files are kept before they are overwritten: 1 (a file per hour of the day), 7 (per
 *                        weekday) or 31 (per day of the month)
 */
public record LoggingSpec(@JsonProperty("slow_statement_ms") Integer slowStatementMs, @JsonProperty("keep_days") Integer keepDays) {
    public static final int SLOW_STATEMENT_MS = 1000;
    public static final int KEEP_DAYS = 7;
    public static final LoggingSpec DEFAULT = new LoggingSpec(SLOW_STATEMENT_MS, KEEP_DAYS);

    /** Every value filled in: the config's, else the defaults. */
    public static LoggingSpec resolve(LoggingSpec configured) {
        if (configured == null) {
            return DEFAULT;
        }
        return new LoggingSpec(configured.slowStatementMs() == null ? SLOW_STATEMENT_MS : configured.slowStatementMs(),
                configured.keepDays() == null ? KEEP_DAYS : configured.keepDays());
    }
}
