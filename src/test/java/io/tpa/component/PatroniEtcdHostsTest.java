package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node's Patroni talks to the other etcd members, never to its own: cut off from the network, its own member would
 * answer with the state from before the cut (Patroni 3.0.2 reads without quorum), see {@link Patroni#etcdHosts}.
 */
class PatroniEtcdHostsTest {
    private static DeployedNode node(String name, String address, boolean member) {
        return new DeployedNode(name, "main", address, new SizeSpec("small", 1, 2.0, 20), member, Map.of(), true, null);
    }

    private static Deployment deployment(List<DeployedNode> nodes) {
        DeployedCluster main = new DeployedCluster("main", "main", true, "main", "pg1", Map.of(), nodes);
        return new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "ssh", "/var/lib/tpa/groups/sales-abc123",
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, null, List.of(main));
    }

    @Test
    void anEtcdMemberTalksToTheOtherMembersOnly() {
        Deployment deployment = deployment(List.of(node("pg1", "10.0.0.11", true), node("pg2", "10.0.0.12", true),
                node("pg3", "10.0.0.13", true), node("pg4", "10.0.0.14", false)));
        assertThat(Patroni.etcdHosts(deployment, deployment.node("pg1").orElseThrow()))
                .containsExactly("10.0.0.12:2379", "10.0.0.13:2379");
        assertThat(Patroni.etcdHosts(deployment, deployment.node("pg3").orElseThrow()))
                .containsExactly("10.0.0.11:2379", "10.0.0.12:2379");
        assertThat(Patroni.etcdHosts(deployment, deployment.node("pg4").orElseThrow()))
                .containsExactly("10.0.0.11:2379", "10.0.0.12:2379", "10.0.0.13:2379");
    }

    @Test
    void patroniKeepsToThoseHostsWithoutAskingEtcdForItsMembers() throws Exception {
        Deployment deployment = deployment(List.of(node("pg1", "10.0.0.11", true), node("pg2", "10.0.0.12", true),
                node("pg3", "10.0.0.13", true)));
        Map<String, String> passwords = Map.of(io.tpa.model.Roles.SUPERUSER, "s", io.tpa.model.Roles.REPLICATION, "r",
                io.tpa.model.Roles.REWIND, "w", io.tpa.model.SecretNames.PATRONI_API, "a");
        String yaml = Patroni.config(deployment, deployment.node("pg2").orElseThrow(), passwords, List.of("10.0.0.1"),
                io.tpa.model.Catalog.load());
        com.fasterxml.jackson.databind.JsonNode etcd = io.tpa.model.Json.YAML.readTree(yaml).path("etcd3");
        assertThat(etcd.path("use_proxies").asBoolean()).isTrue();
        assertThat(etcd.path("hosts").toString()).isEqualTo("[\"10.0.0.11:2379\",\"10.0.0.13:2379\"]");
    }

    @Test
    void aSingleMemberIsUsedByItsOwnNodeToo() {
        Deployment deployment = deployment(List.of(node("pg1", "10.0.0.11", true)));
        assertThat(Patroni.etcdHosts(deployment, deployment.node("pg1").orElseThrow())).containsExactly("10.0.0.11:2379");
    }
}
