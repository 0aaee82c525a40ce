package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresSettingsTest {
    /** Lines as `postgres --describe-config` prints them (PostgreSQL 15). */
    private static final String DESCRIBED = String.join("\n",
            "jit\tuser\tQuery Tuning / Other Planner Options\tBOOLEAN\tFALSE\t\t\tAllow JIT compilation.\t",
            "random_page_cost\tuser\tQuery Tuning / Planner Cost Constants\tREAL\t0\t0\t1.79769e+308\tSets the planner's estimate.\t",
            "shared_buffers\tpostmaster\tResource Usage / Memory\tINTEGER\t0\t16\t1073741823\tSets the number of shared memory buffers.\t",
            "wal_level\tpostmaster\tWrite-Ahead Log / Settings\tENUM\treplica\t\t\tSets the level of information written to the WAL.\t",
            "work_mem\tuser\tResource Usage / Memory\tINTEGER\t0\t64\t2147483647\tSets the maximum memory.\tMore text.");

    private final PostgresSettings settings = PostgresSettings.parse(DESCRIBED);

    @Test
    void restartsFollowThePostmasterContext() {
        assertThat(settings.needsRestart("shared_buffers")).isTrue();
        assertThat(settings.needsRestart("wal_level")).isTrue();
        assertThat(settings.needsRestart("work_mem")).isFalse();
        assertThat(settings.needsRestart("no_such_parameter")).isFalse();
    }

    @Test
    void valuesAreCheckedAgainstTheirType() {
        assertThat(settings.whyInvalid("work_mem", "64MB")).isNull();
        assertThat(settings.whyInvalid("work_mem", "4096")).isNull();
        assertThat(settings.whyInvalid("work_mem", "lots")).isEqualTo(
                "'lots' is not a number; use a whole number with an optional unit (kB, MB, GB, ms, s, min), e.g. 64MB");
        assertThat(settings.whyInvalid("jit", "off")).isNull();
        assertThat(settings.whyInvalid("jit", "maybe")).isEqualTo("'maybe' is not a boolean; use on or off");
        assertThat(settings.whyInvalid("random_page_cost", "1.1")).isNull();
        assertThat(settings.whyInvalid("random_page_cost", "cheap")).contains("not a number");
        assertThat(settings.whyInvalid("wal_level", "anything")).isNull();
        assertThat(settings.knows("work_mem")).isTrue();
        assertThat(settings.knows("work_memory")).isFalse();
    }
}
