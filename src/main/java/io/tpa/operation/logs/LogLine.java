package io.tpa.operation.logs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;

/**
 * One line of a service's log on a node.
 *
 * @param time    when it was written; a continuation line (a traceback) has the time of the line it continues, and a
 *                line before any recognised one in its file has none (null)
 * @param level   the service's word for its gravity (LOG, ERROR, INFO, WARN...), empty when unknown
 * @param message what it says, as the service wrote it
 * @param line    the line as it is in the file
 * @param record  the line's JSON object, for services that log JSON lines (else null)
 */
public record LogLine(Instant time, String node, String service, String level, String message, String line, ObjectNode record) {
    /** By time, lines without one first; lines of the same time keep the order they were read in (a stable sort). */
    public static final Comparator<LogLine> BY_TIME = Comparator.comparing(LogLine::time, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** True when the line was written at or after the instant; a line without a time is not. */
    public boolean since(Instant instant) {
        return instant == null || time != null && !time.isBefore(instant);
    }
}
