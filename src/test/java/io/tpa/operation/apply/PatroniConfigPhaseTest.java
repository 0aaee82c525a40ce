package io.tpa.operation.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatroniConfigPhaseTest {
    private static final String BEFORE = """
            postgresql:
              parameters:
                shared_buffers: 512MB
                work_mem: 5MB
                log_min_duration_statement: 1s
            """;

    @Test
    void findsChangedAddedAndRemovedParameters() {
        String after = """
                postgresql:
                  parameters:
                    shared_buffers: 1024MB
                    work_mem: 5MB
                    jit: "off"
                """;
        assertThat(PatroniConfigPhase.changedParameters(BEFORE, after))
                .containsEntry("shared_buffers", "1024MB")
                .containsEntry("jit", "off")
                .containsEntry("log_min_duration_statement", "(default)")
                .doesNotContainKey("work_mem");
    }
}
