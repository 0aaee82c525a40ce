package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentRecordTest {

    /** A record of format 1 as tpa wrote it before format 2: an ssh group with every field set, and two clusters. */
    private static JsonNode version1() throws IOException {
        try (InputStream in = DeploymentRecordTest.class.getClassLoader().getResourceAsStream("records/deployment-v1.json")) {
            return Json.JSON.readTree(in);
        }
    }

    @Test
    void aVersion1RecordKeepsEveryField() throws Exception {
        Deployment deployment = DeploymentRecord.read(version1());

        assertThat(deployment.formatVersion()).isEqualTo(2);
        assertThat(deployment.group()).isEqualTo("sales");
        assertThat(deployment.key()).isEqualTo("sales-abc123");
        assertThat(deployment.platform()).isEqualTo("ssh");
        assertThat(deployment.baseDirectory()).isEqualTo("/var/lib/tpa/groups/sales-abc123");
        assertThat(deployment.postgres()).isEqualTo(new Deployment.Postgres(17, List.of("pg_stat_statements", "pgaudit"), "cis"));
        assertThat(deployment.patroni()).isEqualTo(new Deployment.Patroni("fast", true));
        assertThat(deployment.access()).isEqualTo(new AccessSpec(List.of("10.1.0.0/16"), false));
        assertThat(deployment.backup()).isEqualTo(new BackupSpec(null, null, null, null).resolved()
                .withRepositoryPath("/var/lib/tpa/backup/sales-abc123"));

        assertThat(deployment.clusters()).extracting(DeployedCluster::name).containsExactly("main", "dr");
        DeployedCluster main = deployment.cluster("main").orElseThrow();
        assertThat(main.location()).isEqualTo("dc1");
        assertThat(main.primaryCluster()).isTrue();
        assertThat(main.scope()).isEqualTo("main");
        assertThat(main.primary()).isEqualTo("pg2");
        assertThat(main.parameters()).isEqualTo(Map.of("max_connections", "100"));
        assertThat(main.fenced()).isFalse();
        DeployedCluster dr = deployment.cluster("dr").orElseThrow();
        assertThat(dr.primaryCluster()).isFalse();
        assertThat(dr.fenced()).isTrue();

        SshSpec ssh = new SshSpec("admin", 2222, "/root/.ssh/id_ed25519");
        DeployedNode pg1 = deployment.node("pg1").orElseThrow();
        assertThat(pg1).isEqualTo(new DeployedNode("pg1", "main", "10.0.0.11",
                new DeployedNode.Server("debian-13", ssh, Map.of("postgresql-17", "17.12-0+deb13u1", "patroni", "4.0.4-1")),
                new DeployedNode.Postgres(new SizeSpec("small", 1, 2.0, 20), Map.of("shared_buffers", "512MB", "work_mem", "4MB"), true),
                new DeployedNode.Etcd(true, new DeployedNode.EtcdJoin("pg1=https://10.0.0.11:2380", "new"))));
        DeployedNode pg2 = deployment.node("pg2").orElseThrow();
        assertThat(pg2.size()).isEqualTo(new SizeSpec("medium", 2, 8.0, 100));
        assertThat(pg2.promotable()).isFalse();
        assertThat(pg2.packages()).isNull();
        assertThat(pg2.etcdJoin()).isEqualTo(new DeployedNode.EtcdJoin("pg1=https://10.0.0.11:2380,pg2=https://10.0.0.12:2380", "existing"));
        DeployedNode dr1 = deployment.node("dr1").orElseThrow();
        assertThat(dr1.cluster()).isEqualTo("dr");
        assertThat(dr1.address()).isEqualTo("10.0.1.11");
        assertThat(dr1.release()).isEqualTo("debian-12");
        assertThat(dr1.etcdMember()).isFalse();
        assertThat(dr1.etcdJoin()).isNull();
        assertThat(dr1.parameters()).isEqualTo(Map.of("shared_buffers", "512MB"));
    }

    @Test
    void aMigratedRecordIsWrittenInBlocksAndReadBackTheSame() throws Exception {
        Deployment deployment = DeploymentRecord.read(version1());
        JsonNode written = Json.JSON.readTree(Json.write(deployment));

        assertThat(written.path("format_version").asInt()).isEqualTo(Deployment.FORMAT_VERSION);
        assertThat(written.has("postgres_version")).isFalse();
        assertThat(written.path("postgres").path("version").asInt()).isEqualTo(17);
        assertThat(written.path("patroni").path("failover").asText()).isEqualTo("fast");
        JsonNode node = written.path("clusters").get(0).path("nodes").get(0);
        assertThat(node.has("release")).isFalse();
        assertThat(node.has("etcd_member")).isFalse();
        assertThat(node.path("server").path("release").asText()).isEqualTo("debian-13");
        assertThat(node.path("postgres").path("parameters").path("work_mem").asText()).isEqualTo("4MB");
        assertThat(node.path("etcd").path("join").path("state").asText()).isEqualTo("new");
        assertThat(DeploymentRecord.read(written)).isEqualTo(deployment);
        assertThat(DeploymentRecord.current(written)).isSameAs(written);
    }

    @Test
    void anOldVersion1RecordReadsWithTheDefaultsItHadBefore() throws Exception {
        // Written before release, promotable, failover, compliance and synchronous existed.
        Deployment old = DeploymentRecord.read(Json.JSON.readTree("""
                {"format_version": 1, "group": "sales", "key": "sales-abc123", "platform": "local", "base_directory": "/b",
                 "postgres_version": 15, "extensions": [], "clusters": [{"name": "main", "location": "main", "scope": "main",
                 "primary": "pg1", "parameters": {}, "nodes": [{"name": "pg1", "cluster": "main", "address": "127.20.0.4",
                 "size": {"name": "small", "cpus": 1, "memory_gb": 2.0, "disk_gb": 20}, "etcd_member": true, "parameters": {}}]}]}"""));

        assertThat(old.compliance()).isEqualTo("none");
        assertThat(old.failover()).isEqualTo("standard");
        assertThat(old.synchronous()).isFalse();
        assertThat(old.access()).isEqualTo(AccessSpec.PRIVATE);
        assertThat(old.backup()).isNull();
        DeployedNode pg1 = old.node("pg1").orElseThrow();
        assertThat(pg1.release()).isEqualTo(Catalog.DEFAULT_DISTRIBUTION);
        assertThat(pg1.promotable()).isTrue();
        assertThat(pg1.etcdMember()).isTrue();
        assertThat(pg1.etcdJoin()).isNull();
        assertThat(pg1.ssh()).isNull();
    }
}
