package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.AccessSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel settings and the nftables rules tpa writes to a server of its own. */
class HostPreparationTest {
    private static final SizeSpec SMALL = new SizeSpec("small", 1, 2.0, 20);
    private static final String ADMIN = "192.0.2.10";
    private static final String PG1 = "10.0.0.11";
    private static final String PG2 = "10.0.0.12";
    private static final String PG3 = "10.0.0.13";

    // Kernel settings

    @Test
    void kernelSettingsForASmallSharedBuffersHaveNoHugePages() {
        Map<String, String> settings = HostPreparation.kernelSettings(List.of(node("pg1", PG1, true, "2048MB")));

        assertThat(settings).containsEntry("vm.swappiness", "1").containsEntry("vm.overcommit_memory", "2")
                .doesNotContainKey("vm.nr_hugepages");
    }

    @Test
    void kernelSettingsForALargeSharedBuffersReserveHugePagesWithTenPercentMore() {
        Map<String, String> settings = HostPreparation.kernelSettings(List.of(node("pg1", PG1, true, "16384MB")));

        long expected = (long) Math.ceil(16384 * 1.1 / 2);
        assertThat(expected).isEqualTo(9012);
        assertThat(settings).containsEntry("vm.swappiness", "1").containsEntry("vm.overcommit_memory", "2")
                .containsEntry("vm.nr_hugepages", Long.toString(expected));
    }

    @Test
    void megabytesReadsPostgresMemoryUnits() {
        assertThat(HostPreparation.megabytes("2GB")).isEqualTo(2048);
        assertThat(HostPreparation.megabytes("512MB")).isEqualTo(512);
        assertThat(HostPreparation.megabytes("8192kB")).isEqualTo(8);
    }

    // Firewall

    @Test
    void eachPortAcceptsTheNodesAndTpaAndDropsEveryOtherAddress() {
        Deployment deployment = deployment("sales-abc123", AccessSpec.PRIVATE);
        List<String> rules = rules(HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()),
                List.of(ADMIN)));

        String inside = "ip saddr { " + PG1 + ", " + PG2 + ", " + PG3 + ", " + ADMIN + " } accept";
        assertThat(rules).containsSubsequence(
                "tcp dport 5432 " + inside, "tcp dport 5432 drop",
                "tcp dport 8008 " + inside, "tcp dport 8008 drop",
                "tcp dport 2379 " + inside, "tcp dport 2379 drop");
        // Peers: only the etcd members (pg1 and pg2), not pg3 and not tpa.
        assertThat(rules).containsSubsequence("tcp dport 2380 ip saddr { " + PG1 + ", " + PG2 + " } accept", "tcp dport 2380 drop");
        assertThat(rules.stream().filter(rule -> rule.startsWith("tcp dport 2380"))).hasSize(2);
        // Nothing is open to everyone on the private default.
        assertThat(rules).doesNotContain("tcp dport 5432 accept");
        assertThat(rules.stream().filter(rule -> rule.startsWith("tcp dport 5432"))).hasSize(2);
    }

    @Test
    void theEndpointPortsAreFilteredAsPostgresIs() {
        Deployment deployment = deployment("sales-abc123", new AccessSpec(List.of("10.1.0.0/16"), false));
        List<String> rules = rules(HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()),
                List.of(ADMIN), List.of(5000, 6432)));

        String inside = "ip saddr { " + PG1 + ", " + PG2 + ", " + PG3 + ", " + ADMIN + " } accept";
        for (int port : new int[] {5432, 5000, 6432}) {
            assertThat(rules).containsSubsequence("tcp dport " + port + " " + inside, "tcp dport " + port + " ip saddr 10.1.0.0/16 accept",
                    "tcp dport " + port + " drop");
        }
        assertThat(rules(HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()), List.of(ADMIN))))
                .as("without endpoints, no rule for their ports").noneMatch(rule -> rule.contains("dport 5000") || rule.contains("dport 6432"));
    }

    @Test
    void aNodeThatIsNotAnEtcdMemberGetsNoEtcdRules() {
        Deployment deployment = deployment("sales-abc123", AccessSpec.PRIVATE);
        String file = HostPreparation.firewallRules(deployment, List.of(deployment.node("pg3").orElseThrow()), List.of(ADMIN));

        assertThat(file).contains("tcp dport 5432 ").contains("tcp dport 8008 ")
                .doesNotContain("2379").doesNotContain("2380");
    }

    @Test
    void applicationNetworksAreAcceptedOnPostgresOnly() {
        Deployment deployment = deployment("sales-abc123", new AccessSpec(List.of("10.1.0.0/16"), false));
        List<String> rules = rules(HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()),
                List.of(ADMIN)));

        assertThat(rules).containsSubsequence("tcp dport 5432 ip saddr 10.1.0.0/16 accept", "tcp dport 5432 drop");
        assertThat(rules.stream().filter(rule -> rule.contains("10.1.0.0/16"))).hasSize(1);
        assertThat(rules).doesNotContain("tcp dport 5432 accept");
    }

    @Test
    void publicAccessAcceptsPostgresFromAnywhere() {
        Deployment deployment = deployment("sales-abc123", new AccessSpec(List.of(), true));
        List<String> rules = rules(HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()),
                List.of(ADMIN)));

        assertThat(rules).containsSubsequence("tcp dport 5432 accept", "tcp dport 5432 drop");
        // Patroni's API stays closed to the world.
        assertThat(rules).doesNotContain("tcp dport 8008 accept");
    }

    @Test
    void theTableIsNamedAfterTheGroupKeyWithOnlyWordCharacters() {
        assertThat(HostPreparation.firewallTable("sales-abc123")).isEqualTo("tpa_sales_abc123");
        assertThat(HostPreparation.firewallTable("a.b c/d_e9")).isEqualTo("tpa_a_b_c_d_e9");

        Deployment deployment = deployment("sales-abc123", AccessSpec.PRIVATE);
        String file = HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()), List.of(ADMIN));
        assertThat(file).contains("table inet tpa_sales_abc123").doesNotContain("sales-abc123");
    }

    @Test
    void theFileReplacesTheTableAtomically() {
        Deployment deployment = deployment("sales-abc123", AccessSpec.PRIVATE);
        String file = HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()), List.of(ADMIN));
        List<String> lines = file.lines().toList();

        assertThat(lines.get(0)).isEqualTo("#!/usr/sbin/nft -f");
        // Declare (so the delete never fails), delete, define: nft -f applies the file as one transaction.
        assertThat(lines).containsSubsequence(
                "table inet tpa_sales_abc123",
                "delete table inet tpa_sales_abc123",
                "table inet tpa_sales_abc123 {");
        int declare = lines.indexOf("table inet tpa_sales_abc123");
        assertThat(lines.get(declare + 1)).isEqualTo("delete table inet tpa_sales_abc123");
        assertThat(lines.get(declare + 2)).isEqualTo("table inet tpa_sales_abc123 {");
        assertThat(lines.stream().filter(line -> line.contains("tpa_sales_abc123"))).hasSize(3);
        assertThat(file).contains("type filter hook input priority filter; policy accept;");
        // No rule comes before the table is replaced.
        assertThat(lines.subList(0, declare)).noneMatch(line -> line.contains("dport"));
    }

    // Helpers

    private static DeployedNode node(String name, String address, boolean etcdMember, String sharedBuffers) {
        return new DeployedNode(name, "main", address, SMALL, etcdMember, Map.of("shared_buffers", sharedBuffers), true, null);
    }

    /** Three nodes; pg1 and pg2 are the etcd members. */
    private static Deployment deployment(String key, AccessSpec access) {
        List<DeployedNode> nodes = List.of(node("pg1", PG1, true, "512MB"), node("pg2", PG2, true, "512MB"),
                node("pg3", PG3, false, "512MB"));
        DeployedCluster main = new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), nodes);
        return new Deployment(Deployment.FORMAT_VERSION, "sales", key, "ssh", "/var/lib/tpa/groups/" + key,
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                access, null, List.of(main));
    }

    /** The rules of the input chain, one a line, without indentation. */
    private static List<String> rules(String file) {
        return file.lines().map(String::trim).filter(line -> line.startsWith("tcp dport") || line.startsWith("iif")).toList();
    }
}
