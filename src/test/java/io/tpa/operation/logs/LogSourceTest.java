package io.tpa.operation.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import org.junit.jupiter.api.Test;

class LogSourceTest {
    @Test
    void aServiceIsChosenByNameAndAnUnknownOneListsTheKnownOnes() {
        assertThat(LogSource.selected(null)).extracting(LogSource::service).containsExactly("postgres", "patroni", "etcd", "pgbouncer", "haproxy", "pgbackrest");
        assertThat(LogSource.selected("patroni")).extracting(LogSource::service).containsExactly("patroni");
        assertThatThrownBy(() -> LogSource.selected("pgbouncr")).isInstanceOfSatisfying(UserError.class, error -> {
            assertThat(error.exitCode()).isEqualTo(UserError.BAD_INPUT);
            assertThat(error.getMessage()).isEqualTo("unknown service 'pgbouncr'; the services tpa reads logs of are postgres, patroni, etcd, pgbouncer, haproxy, pgbackrest");
        });
    }

    @Test
    void aBadGrepIsBadInput() {
        assertThatThrownBy(() -> Logs.grep("(unclosed")).isInstanceOfSatisfying(UserError.class,
                error -> assertThat(error.getMessage()).startsWith("--grep: '(unclosed' is not a regular expression: ").doesNotContain("\n"));
    }
}
