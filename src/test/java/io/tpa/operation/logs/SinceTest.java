package io.tpa.operation.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SinceTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aDurationCountsBackFromNow() {
        assertThat(Since.parse("30s", NOW)).isEqualTo(Instant.parse("2026-12-06T11:59:30Z"));
        assertThat(Since.parse("10m", NOW)).isEqualTo(Instant.parse("2026-12-06T11:50:00Z"));
        assertThat(Since.parse("2h", NOW)).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(Since.parse("1d", NOW)).isEqualTo(Instant.parse("2026-12-05T12:00:00Z"));
        assertThat(Since.parse(null, NOW)).isNull();
    }

    @Test
    void aTimeIsIsoWithUtcWhenItHasNoOffset() {
        assertThat(Since.parse("2026-12-06T10:15:00Z", NOW)).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
        assertThat(Since.parse("2026-12-06T11:15:00+01:00", NOW)).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
        assertThat(Since.parse("2026-12-06 10:15", NOW)).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
        assertThat(Since.parse("2026-12-06", NOW)).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
    }

    @Test
    void anythingElseIsBadInputOnOneLine() {
        assertThatThrownBy(() -> Since.parse("10 minutes", NOW)).isInstanceOfSatisfying(UserError.class, error -> {
            assertThat(error.exitCode()).isEqualTo(UserError.BAD_INPUT);
            assertThat(error.getMessage()).startsWith("--since: '10 minutes' is neither a duration nor a time; ").doesNotContain("\n");
        });
    }
}
