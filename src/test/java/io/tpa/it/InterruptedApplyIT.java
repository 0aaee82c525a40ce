package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An apply killed with kill -9 half-way converges when run again. */
class InterruptedApplyIT {
    @Test
    void anApplyKilledHalfWayConvergesWhenRunAgain() throws Exception {
        try (TestGroup group = TestGroup.create(TestGroup.config("interrupted", 2, ""))) {
            Process apply = Tpa.start("apply", group.path());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(apply.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null && !line.contains(" etcd ")) {
                    // read progress until etcd is up: the primary's bootstrap comes next
                }
                assertThat(line).as("apply reached the etcd step").isNotNull();
            }
            apply.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            apply.destroyForcibly();
            assertThat(apply.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Tpa.Result plan = group.tpa("plan");
            assertThat(plan.exitCode()).as("something is left to do:\n%s", plan.output()).isEqualTo(2);
            Tpa.Result again = group.apply();
            assertThat(again.stdout()).contains("the group is healthy");
            assertThat(group.whyNotHealthy()).isNull();
            assertThat(group.tpa("plan").exitCode()).isZero();
        }
    }
}
