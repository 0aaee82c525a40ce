package io.tpa.operation.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of a list of measurements, by the nearest-rank method (the value below which p % of them lie, inclusive). */
final class Percentiles {
    private Percentiles() {
    }

    /** The p-th percentile (0 < p <= 100) of the values; NaN when there are none. */
    static double of(double[] values, double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("a percentile is above 0 and at most 100: " + percent);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    static double median(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    /**
     * The latencies, in milliseconds, of pgbench's per-transaction log ({@code -l}): one line per transaction,
     * {@code client_id transaction_no time script_no time_epoch time_us}, where {@code time} is the transaction's
     * latency in microseconds. Lines that are not such a line (a partial last line) are skipped.
     */
    static double[] pgbenchLatenciesMs(String log) {
        return log.lines().map(String::trim).filter(line -> !line.isEmpty()).map(line -> line.split("\\s+"))
                .filter(fields -> fields.length >= 6 && fields[2].chars().allMatch(Character::isDigit) && !fields[2].isEmpty())
                .mapToDouble(fields -> Long.parseLong(fields[2]) / 1000.0).toArray();
    }
}
