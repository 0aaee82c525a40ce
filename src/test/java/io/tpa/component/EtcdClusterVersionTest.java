package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a new etcd cluster's version counts as decided, and how a Patroni that read it too early is recognised. */
class EtcdClusterVersionTest {
    @Test
    void aNewClusterIsUndecidedUntilItReportsItsServersVersion() {
        assertThat(new Etcd.Versions("3.4.23", "not_decided").clusterDecided()).isFalse();
        assertThat(new Etcd.Versions("3.4.23", "3.0.0").clusterDecided()).as("etcd's placeholder minimum").isFalse();
        assertThat(new Etcd.Versions("3.4.23", "").clusterDecided()).isFalse();
        assertThat(new Etcd.Versions("3.4.23", "3.4.0").clusterDecided()).isTrue();
        assertThat(new Etcd.Versions("3.5.16", "3.5.0").clusterDecided()).isTrue();
        assertThat(new Etcd.Versions("3.5.16", "3.4.0").clusterDecided()).as("a rolling upgrade from 3.4").isTrue();
    }

    /** Lines Patroni 3.0.2 logged (use_proxies) after reading cluster version 3.0.0 from a new etcd 3.4 cluster. */
    private static final String STUCK = """
            2026-12-05 15:47:05,479 INFO: Selected new etcd server http://127.30.0.1:2379
            2026-12-05 15:47:05,480 WARNING: Detected Etcd version 3.0.0 is lower than 3.1.0, watches are not supported
            2026-12-05 15:47:05,569 ERROR: Failed to get list of machines from http://127.30.0.1:2379/v3alpha: <Unknown error: '404 page not found', code: 2>
            2026-12-05 15:47:05,613 INFO: waiting on etcd
            2026-12-05 15:47:10,615 ERROR: refresh_lease
            Traceback (most recent call last):
            patroni.dcs.etcd3.Unknown: <Unknown error: '404 page not found', code: 2>
            2026-12-05 15:47:10,616 INFO: waiting on etcd
            """;

    @Test
    void aPatroniOnTheWrongEtcdApiIsRecognisedByItsLog() {
        assertThat(Patroni.whyStuckOnEtcdApi(STUCK)).contains("cluster version 3.0.0").contains("404");
        assertThat(Patroni.whyStuckOnEtcdApi(STUCK.lines().skip(4).reduce("", (a, b) -> a + b + "\n")))
                .as("the detection line scrolled away: still stuck").contains("404");
    }

    @Test
    void aHealthyOrMerelyWaitingPatroniIsLeftAlone() {
        assertThat(Patroni.whyStuckOnEtcdApi("")).isNull();
        assertThat(Patroni.whyStuckOnEtcdApi("""
                2026-12-05 15:46:15,823 INFO: running post_bootstrap
                2026-12-05 15:46:16,108 INFO: no action. I am (n1), the leader with the lock
                """)).isNull();
        assertThat(Patroni.whyStuckOnEtcdApi("2026-12-05 15:46:35,648 INFO: waiting on etcd\n"))
                .as("etcd not reachable yet is not the wrong API").isNull();
    }
}
