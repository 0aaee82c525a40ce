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

/** What Patroni is told about standby clusters: the standby side's standby_cluster, the primary side's slots. */
class PatroniStandbyClusterTest {
    private static final Map<String, String> PASSWORDS = Map.of(Roles.SUPERUSER, "s", Roles.REPLICATION, "r", Roles.REWIND, "w",
            SecretNames.PATRONI_API, "a");

    private static DeployedNode node(String name, String cluster, String address, boolean etcd) {
        return new DeployedNode(name, cluster, address, new SizeSpec("small", 1, 2.0, 20), etcd, Map.of("shared_buffers", "512MB"),
                true, null);
    }

    private static Deployment deployment() {
        DeployedCluster main = new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of("wal_level", "replica"),
                List.of(node("pg1", "main", "127.20.0.1", true), node("pg2", "main", "127.20.0.2", false)));
        DeployedCluster dr = new DeployedCluster("dr-west", "dc2", false, "dr-west", "pg3", Map.of("wal_level", "replica"),
                List.of(node("pg3", "dr-west", "127.20.0.3", false), node("pg4", "dr-west", "127.20.0.4", false)));
        return new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", "/var/lib/tpa/groups/sales-abc123",
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, null, List.of(main, dr));
    }

    private static JsonNode rendered(String node) throws Exception {
        Deployment deployment = deployment();
        String yaml = Patroni.config(deployment, deployment.node(node).orElseThrow(), PASSWORDS, List.of("127.0.0.1"), Catalog.load());
        return Json.YAML.readTree(yaml);
    }

    @Test
    void aStandbyClusterReplicatesFromEveryNodeOfThePrimaryClusterThroughItsSlot() throws Exception {
        for (String node : List.of("pg3", "pg4")) {
            JsonNode config = rendered(node);
            assertThat(config.path("scope").asText()).isEqualTo("dr-west");
            assertThat(config.path("namespace").asText()).isEqualTo("/tpa/sales/");
            JsonNode standby = config.path("bootstrap").path("dcs").path("standby_cluster");
            assertThat(standby.path("host").asText()).isEqualTo("127.20.0.1,127.20.0.2");
            assertThat(standby.path("port").asInt()).isEqualTo(5432);
            assertThat(standby.path("primary_slot_name").asText()).isEqualTo("standby_dr_west");
            assertThat(standby.path("create_replica_methods").toString()).isEqualTo("[\"basebackup\"]");
            assertThat(config.path("bootstrap").path("dcs").has("slots")).isFalse();
            // Same credentials and TLS as within a cluster: the replication user, verify-full against the group CA.
            assertThat(config.path("postgresql").path("authentication").path("replication").path("sslmode").asText()).isEqualTo("verify-full");
            assertThat(config.path("etcd3").path("hosts").toString()).isEqualTo("[\"127.20.0.1:2379\"]");
        }
    }

    @Test
    void thePrimaryClusterKeepsAPermanentSlotPerStandbyCluster() throws Exception {
        JsonNode dcs = rendered("pg1").path("bootstrap").path("dcs");
        assertThat(dcs.has("standby_cluster")).isFalse();
        assertThat(dcs.path("slots").toString()).isEqualTo("{\"standby_dr_west\":{\"type\":\"physical\"}}");
    }

    @Test
    void replicationFromEveryNodeOfTheGroupIsAdmitted() {
        assertThat(Patroni.hba(deployment(), List.of("127.0.0.1")))
                .contains("hostssl replication replicator 127.20.0.1/32 scram-sha-256")
                .contains("hostssl replication replicator 127.20.0.4/32 scram-sha-256");
    }

    @Test
    void slotNamesAreWhatPostgresAllows() {
        assertThat(Patroni.standbySlot("dr")).isEqualTo("standby_dr");
        assertThat(Patroni.standbySlot("eu-west-2")).isEqualTo("standby_eu_west_2");
        assertThat(Patroni.clusterPrefix(deployment(), deployment().clusters().get(1))).isEqualTo("/tpa/sales/dr-west/");
    }
}
