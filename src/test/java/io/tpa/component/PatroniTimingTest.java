package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code failover: fast|standard} becomes Patroni's ttl, loop_wait and retry_timeout in the bootstrap configuration. */
class PatroniTimingTest {
    private static final Map<String, String> PASSWORDS = Map.of(Roles.SUPERUSER, "s", Roles.REPLICATION, "r", Roles.REWIND, "w",
            SecretNames.PATRONI_API, "a");

    @Test
    void fastProfile() {
        Patroni.Timing fast = Patroni.Timing.of("fast", 3);

        assertThat(fast).isEqualTo(new Patroni.Timing(6, 1, 2));
        assertThat(fast.settings()).containsExactly(Map.entry("ttl", 6), Map.entry("loop_wait", 1), Map.entry("retry_timeout", 2));
    }

    @Test
    void standardProfileIsAlsoTheDefault() {
        Patroni.Timing standard = new Patroni.Timing(15, 3, 5);

        assertThat(Patroni.Timing.of("standard", 3)).isEqualTo(standard);
        assertThat(Patroni.Timing.of(null, 3)).isEqualTo(standard);
        assertThat(Patroni.Timing.of("standard", 3)).isNotEqualTo(Patroni.Timing.of("fast", 3));
    }

    @Test
    void everyProfileSatisfiesPatronisTimingRule() {
        for (int major : new int[] {3, 4}) {
            for (String profile : List.of("standard", "fast")) {
                Patroni.Timing timing = Patroni.Timing.of(profile, major);
                assertThat(timing.loopWait() + 2 * timing.retryTimeout()).as(profile).isLessThanOrEqualTo(timing.ttl());
                assertThat(timing.loopWait()).as(profile).isPositive();
            }
        }
    }

    @Test
    void patroni4ProfilesKeepToItsFloors() {
        // Patroni 4 raises a ttl below 20 and a retry_timeout below 3 itself (and logs so): tpa asks for no less.
        for (String profile : List.of("standard", "fast")) {
            Patroni.Timing timing = Patroni.Timing.of(profile, 4);
            assertThat(timing.ttl()).as(profile).isGreaterThanOrEqualTo(20);
            assertThat(timing.retryTimeout()).as(profile).isGreaterThanOrEqualTo(3);
        }
        assertThat(Patroni.Timing.of("fast", 4).ttl()).isLessThan(Patroni.Timing.of("standard", 4).ttl());
    }

    @Test
    void debian13NodesGetPatroni4TimingAndDropRemovedMembersSlots() throws Exception {
        JsonNode dcs = bootstrapDcs("fast", "debian-13");

        assertThat(dcs.path("ttl").asInt()).isEqualTo(20);
        assertThat(dcs.path("loop_wait").asInt()).isEqualTo(1);
        assertThat(dcs.path("retry_timeout").asInt()).isEqualTo(3);
        assertThat(dcs.path("member_slots_ttl").asInt(-1)).isZero();
        assertThat(dcs.path("failsafe_mode").asBoolean(false)).isTrue();
        JsonNode debian12 = bootstrapDcs("fast", "debian-12");
        assertThat(debian12.has("member_slots_ttl")).isFalse();
        assertThat(debian12.has("failsafe_mode")).isFalse();
    }

    @Test
    void fastFailoverReachesTheBootstrapConfiguration() throws Exception {
        JsonNode dcs = bootstrapDcs("fast");

        assertThat(dcs.path("ttl").asInt()).isEqualTo(6);
        assertThat(dcs.path("loop_wait").asInt()).isEqualTo(1);
        assertThat(dcs.path("retry_timeout").asInt()).isEqualTo(2);
    }

    @Test
    void standardFailoverAndOlderRecordsGetTheStandardTiming() throws Exception {
        for (String failover : new String[] {"standard", null}) {
            JsonNode dcs = bootstrapDcs(failover);
            assertThat(dcs.path("ttl").asInt()).as("failover %s", failover).isEqualTo(15);
            assertThat(dcs.path("loop_wait").asInt()).as("failover %s", failover).isEqualTo(3);
            assertThat(dcs.path("retry_timeout").asInt()).as("failover %s", failover).isEqualTo(5);
        }
    }

    private static JsonNode bootstrapDcs(String failover) throws Exception {
        return bootstrapDcs(failover, "debian-12");
    }

    private static JsonNode bootstrapDcs(String failover, String release) throws Exception {
        DeployedNode pg1 = new DeployedNode("pg1", "main", "127.20.0.1", new DeployedNode.Server(release, null, null),
                new DeployedNode.Postgres(new SizeSpec("small", 1, 2.0, 20), Map.of(), true), new DeployedNode.Etcd(true, null));
        DeployedCluster main = new DeployedCluster("main", "main", true, "main", "pg1", Map.of(), List.of(pg1));
        Deployment deployment = new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", "/var/lib/tpa/groups/sales-abc123",
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(failover, false),
                null, null, List.of(main));
        assertThat(deployment.failover()).isEqualTo(failover == null ? "standard" : failover);
        String yaml = Patroni.config(deployment, deployment.node("pg1").orElseThrow(), PASSWORDS, List.of("127.0.0.1"), Catalog.load());
        return Json.YAML.readTree(yaml).path("bootstrap").path("dcs");
    }
}
