package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.component.NodeLayout;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A new user's first `tpa apply`, ten times in a row, while another program keeps one of the machine's cores busy
 * (as other work did when a fresh apply once failed for good: issue 9). Every apply must converge on its own, and no
 * Patroni may have read etcd's cluster version before the new etcd cluster had decided it.
 */
class FreshApplyIT {
    private static final int APPLIES = 10;

    @Test
    void tenFreshAppliesInARowEachConvergeWithoutARetry() throws Exception {
        AtomicBoolean busy = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (busy.get()) {
                // one core's worth of other work
            }
        }, "other-work");
        load.setDaemon(true);
        load.start();
        List<String> durations = new ArrayList<>();
        try {
            for (int round = 1; round <= APPLIES; round++) {
                try (TestGroup group = TestGroup.create(TestGroup.config("fresh" + round, 3, ""))) {
                    long started = System.nanoTime();
                    Tpa.Result apply = group.tpa("apply");
                    durations.add(String.format("%.1f s", (System.nanoTime() - started) / 1e9));
                    assertThat(apply.exitCode()).as("fresh apply %d of %d:\n%s", round, APPLIES, apply.output()).isZero();
                    assertThat(apply.stdout()).contains("the group is healthy");
                    Deployment deployment = group.deployment();
                    for (DeployedNode node : deployment.nodes()) {
                        Path log = Path.of(NodeLayout.of(deployment.baseDirectory(), node.name()).logDirectory(), "patroni.log");
                        assertThat(read(log)).as("round %d: %s's Patroni log", round, node.name())
                                .doesNotContain("Detected Etcd version")
                                .doesNotContain("404 page not found");
                    }
                }
            }
        } finally {
            busy.set(false);
            System.out.println("fresh applies: " + durations);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
