package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupAccess;
import io.tpa.wait.Wait;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos suite on test hosts (docs/test-hosts.md), over the ssh platform. Process faults first (kill -9 of the
 * primary's PostgreSQL and Patroni, an etcd member down, a replica stopped under load), each under a writer that
 * records every acknowledged commit. Then network cuts: the primary's server loses its link under the writer
 * (every acknowledged commit recorded). A replica must take over; the cut-off primary must stop taking writes on
 * its own (Patroni demotes it once it cannot reach etcd), so there is no split brain; once the link is back it
 * rejoins as a replica (with pg_rewind when its timeline diverged). First with the defaults (asynchronous,
 * {@code failover: standard}), then with {@code synchronous: true} and {@code failover: fast}, where no
 * acknowledged commit may be lost. Results go to standard output as {@code chaos ...} lines (docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshChaosIT {
    /**
     * The lock lives ttl after the primary's last renewal (Patroni 4 on the Debian 13 test hosts: 30 s standard, 20 s
     * fast, its floor), plus up to one loop_wait for a replica to notice. These bounds catch a failover that does not
     * happen; the figures are recorded by bench/failover.sh (docs/reliability.md).
     */
    private static final double STANDARD_BOUND_SECONDS = 45;
    private static final double FAST_BOUND_SECONDS = 30;
    private static final int WRITER_SECONDS = 180;
    /** How long after the cut the link comes back in the long cuts: well past the lock's ttl (see networkCut). */
    private static final double HEAL_AFTER_SECONDS = 45;
    /** Patroni 4's floor, the shortest leader lock it accepts (failover: fast on Debian 13). */
    private static final double FAST_TTL_SECONDS = io.tpa.component.Patroni.Timing.FAST_4.ttl();
    /** The quick heal: the link back while the cut-off primary's lock may still stand. */
    private static final double QUICK_HEAL_AFTER_SECONDS = 10;
    /** How many cuts per configuration: 1 in the suite; bench/failover.sh asks for more ({@code -Dtpa.chaos.rounds=N}). */
    private static final int ROUNDS = Integer.getInteger("tpa.chaos.rounds", 1);

    private TestHosts hosts;
    private TestGroup group;
    private final List<String> results = new ArrayList<>();
    /** The group's replication mode, for the result lines: asynchronous until primaryNetworkCutSynchronousFast. */
    private String mode = "async";

    @BeforeAll
    void deploy() {
        hosts = TestHosts.create(3, 13);
        group = TestGroup.create(config(""));
        Tpa.Result applied = group.tpa("apply", "--trust-new-hosts");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
    }

    @AfterAll
    void destroy() {
        results.forEach(System.out::println);
        try {
            if (group != null) {
                group.close();
            }
        } finally {
            hosts.close();
        }
    }

    private String config(String extra) {
        StringBuilder yaml = new StringBuilder("name: sshchaos\nplatform: ssh\n" + extra + "ssh:\n  identity_file: " + hosts.identityFile()
                + "\nclusters:\n  - name: main\n    nodes:\n");
        for (TestHosts.Host host : hosts.hosts()) {
            yaml.append("      - name: pg").append(host.name().substring(TestHosts.PREFIX.length()))
                    .append("\n        host: ").append(host.address()).append('\n');
        }
        return yaml.toString();
    }

    /** kill -9 of the primary's postmaster: Patroni starts PostgreSQL again in place, no failover. */
    @Test
    @Order(1)
    void killPrimaryPostgres() throws Exception {
        processFault("kill-9-primary-postgres", primary -> {
            String data = group.deployment().baseDirectory() + "/nodes/" + primary.name() + "/pgdata";
            return "kill -9 $(head -1 " + data + "/postmaster.pid)";
        }, primary -> null);
    }

    /** kill -9 of the primary's Patroni: its supervisor starts it again, and it finds PostgreSQL running and its lock held. */
    @Test
    @Order(2)
    void killPrimaryPatroni() throws Exception {
        processFault("kill-9-primary-patroni", primary -> "pkill -9 -f '^/usr/bin/python3 /usr/bin/patroni '", primary -> null);
    }

    /** One etcd member stopped (on a replica's server) and started again: etcd keeps its quorum, writes go on. */
    @Test
    @Order(3)
    void oneEtcdMemberDown() throws Exception {
        processFault("one-etcd-member-down", primary -> supervisorctl("stop", "etcd-" + replicaOf(primary).name()),
                primary -> supervisorctl("start", "etcd-" + replicaOf(primary).name()));
    }

    /** A replica's Patroni (and so its PostgreSQL) stopped under load and started again: it catches up through its slot. */
    @Test
    @Order(4)
    void replicaStoppedUnderLoad() throws Exception {
        processFault("replica-stopped-under-load", primary -> supervisorctl("stop", "patroni-" + replicaOf(primary).name()),
                primary -> supervisorctl("start", "patroni-" + replicaOf(primary).name()));
    }

    /**
     * Runs a fault on the primary's server ({@code inject}, a shell command) or a replica's (the command names its
     * program), under the writer; then {@code heal} (on the same server), and checks that the group is healthy with
     * every acknowledged commit, and how long writes stopped.
     */
    private void processFault(String scenario, java.util.function.Function<DeployedNode, String> inject,
                              java.util.function.Function<DeployedNode, String> heal) throws Exception {
        DeployedNode primary = leader().orElseThrow();
        String injected = inject.apply(primary);
        TestHosts.Host server = injected.startsWith(SUPERVISORCTL) ? hostOf(replicaOf(primary)) : hostOf(primary);
        List<Long> lost;
        double gap;
        try (ChaosWriter writer = new ChaosWriter(group, "fault_" + scenario.replace('-', '_') + "_" + mode, WRITER_SECONDS)) {
            Wait.until("for the writer's first 50 commits", Duration.ofSeconds(30), () -> writer.count() >= 50);
            long fault = System.nanoTime();
            TestHosts.Result done = hosts.ssh(server, injected);
            assertThat(done.succeeded()).as("%s on %s: %s", injected, server.name(), done.output()).isTrue();
            int before = writer.count();
            Wait.until("for 100 more commits after the fault", Duration.ofSeconds(90), () -> writer.count() >= before + 100);
            String healing = heal.apply(primary);
            if (healing != null) {
                TestHosts.Result healed = hosts.ssh(server, healing);
                assertThat(healed.succeeded()).as("%s on %s: %s", healing, server.name(), healed.output()).isTrue();
            }
            Wait.until("for every replica to stream again", Duration.ofSeconds(120), group::whyNotHealthy);
            gap = writer.longestGapSince(fault);
            try (Connection connection = group.connect(leader().orElseThrow().name())) {
                lost = writer.missingOn(connection);
            }
        }
        String line = String.format(Locale.ROOT, "chaos %s (ssh, " + mode + "): longest write gap %.1f s, lost %d acknowledged commits, "
                + "primary before %s, after %s", scenario, gap, lost.size(), primary.name(), leader().map(DeployedNode::name).orElse("none"));
        System.out.println(line);
        results.add(line);
        assertThat(lost).as("acknowledged commits lost").isEmpty();
    }

    private static final String SUPERVISORCTL = "supervisorctl";

    private String supervisorctl(String action, String program) {
        return SUPERVISORCTL + " -c " + group.deployment().baseDirectory() + "/supervisor/supervisord.conf " + action + " " + program;
    }

    private DeployedNode replicaOf(DeployedNode primary) {
        return group.deployment().nodes().stream().filter(n -> !n.name().equals(primary.name())).findFirst().orElseThrow();
    }

    @Test
    @Order(5)
    void primaryNetworkCutAsynchronousStandard() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            networkCut("async, failover standard", STANDARD_BOUND_SECONDS, false, round);
        }
    }

    @Test
    @Order(6)
    void primaryNetworkCutSynchronousFast() throws Exception {
        group.writeConfig(config("synchronous: true\nfailover: fast\n"));
        mode = "sync";
        Tpa.Result applied = group.apply();
        assertThat(applied.stdout()).as("the profile changes without a restart").doesNotContain("restart");
        waitForSynchronousReplica();
        for (int round = 1; round <= ROUNDS; round++) {
            networkCut("sync, failover fast", FAST_BOUND_SECONDS, true, round);
        }
    }

    private void networkCut(String mode, double bound, boolean synchronous, int round) throws Exception {
        DeployedNode primary = leader().orElseThrow();
        TestHosts.Host server = hostOf(primary);
        double failover;
        double demoted;
        List<Long> lost;
        String newPrimary;
        try (ChaosWriter writer = new ChaosWriter(group, "cut_" + (synchronous ? "sync" : "async") + "_" + round, WRITER_SECONDS)) {
            Wait.until("for the writer's first 50 commits", Duration.ofSeconds(30), () -> writer.count() >= 50);
            long fault = System.nanoTime();
            link(server, "down");
            try {
                Wait.until("for the writer to notice the cut", Duration.ofSeconds(30), () -> writer.firstFailureSince(fault).isPresent());
                long since = writer.firstFailureSince(fault).orElseThrow();
                DeployedNode[] leader = new DeployedNode[1];
                Wait.until("for a new primary to acknowledge a commit", Duration.ofSeconds(90), () -> {
                    leader[0] = leader().filter(node -> !node.name().equals(primary.name())).orElse(null);
                    return leader[0] != null && writer.firstSince(since, leader[0].address()).isPresent() ? null : "no new primary yet";
                });
                newPrimary = leader[0].name();
                failover = (writer.firstSince(since, leader[0].address()).orElseThrow().at() - fault) / 1e9;
                // Cut off from etcd, the old primary's Patroni must demote it: seen from inside its own network.
                Wait.until("for " + primary.name() + " to stop taking writes behind the cut", Duration.ofSeconds(60),
                        () -> takesWritesFromInside(server, primary) ? primary.name() + " still takes writes" : null);
                demoted = (System.nanoTime() - fault) / 1e9;
                // The long cut: the link stays down well past the lock's ttl, so the old primary must rejoin as a replica
                // (pg_rewind when its timeline diverged); a heal within the ttl is quickHealNeverGivesTwoWritablePrimaries.
                long healAt = fault + (long) (HEAL_AFTER_SECONDS * 1e9);
                Wait.until("for the cut to have lasted " + HEAL_AFTER_SECONDS + " s", Duration.ofSeconds(60),
                        () -> System.nanoTime() >= healAt);
            } finally {
                link(server, "up");
            }
            try {
                Wait.until("for " + primary.name() + " to rejoin as a replica", Duration.ofSeconds(120), () -> {
                    String problem = group.whyNotHealthy();
                    return problem != null ? problem : leader().map(DeployedNode::name).filter(primary.name()::equals).isPresent()
                            ? primary.name() + " leads again" : null;
                });
            } catch (Wait.WaitTimeout e) {
                throw new AssertionError(e.getMessage() + patroniLogs(), e);
            }
            try (Connection connection = group.connect(newPrimary)) {
                lost = writer.missingOn(connection);
            }
        }
        String line = String.format(Locale.ROOT, "chaos primary-network-cut (%s): failover %.1f s, lost %d acknowledged commits "
                        + "(%s cut off; %s took over; %s stopped taking writes %.1f s after the cut; it rejoined as a replica once the link was back)",
                mode, failover, lost.size(), primary.name(), newPrimary, primary.name(), demoted);
        System.out.println(line);
        results.add(line);
        assertThat(failover).as("failover time after the primary's network was cut (s)").isLessThanOrEqualTo(bound);
        if (synchronous) {
            assertThat(lost).as("acknowledged commits lost in synchronous mode").isEmpty();
            waitForSynchronousReplica();
        }
    }

    /**
     * The link comes back 10 s after the cut, while the cut-off primary's leader lock may still stand: writers on every
     * node's own address, run from inside each server, must never see two nodes take writes (in turns or at once), and
     * the group must be healthy afterwards with the old primary a replica of whoever leads (through pg_rewind when a
     * replica took over and their timelines diverged).
     */
    @Test
    @Order(7)
    void quickHealNeverGivesTwoWritablePrimaries() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            DeployedNode primary = leader().orElseThrow();
            TestHosts.Host server = hostOf(primary);
            List<String> turns;
            String after;
            long rewindsBefore;
            try (NodeWriters writers = new NodeWriters(group, hosts, primary, "quick_heal_" + round, WRITER_SECONDS)) {
                Wait.until("for the primary's own writer to commit", Duration.ofSeconds(30), () -> writers.count(primary.name()) >= 20);
                rewindsBefore = rewinds(server, primary);
                long fault = System.nanoTime();
                link(server, "down");
                try {
                    long healAt = fault + (long) (QUICK_HEAL_AFTER_SECONDS * 1e9);
                    Wait.until("for the cut to have lasted " + QUICK_HEAL_AFTER_SECONDS + " s", Duration.ofSeconds(30),
                            () -> System.nanoTime() >= healAt);
                } finally {
                    link(server, "up");
                }
                try {
                    Wait.until("for the group to be healthy after the quick heal", Duration.ofSeconds(120), group::whyNotHealthy);
                } catch (Wait.WaitTimeout e) {
                    throw new AssertionError(e.getMessage() + patroniLogs(), e);
                }
                after = leader().orElseThrow().name();
                long settled = writers.count(after);
                Wait.until("for the primary after the heal to take writes", Duration.ofSeconds(30), () -> writers.count(after) >= settled + 10);
                turns = writers.turns();
            }
            String rewound = after.equals(primary.name()) ? "no failover"
                    : primary.name() + " rejoined with " + (rewinds(server, primary) - rewindsBefore) + " pg_rewind run(s)";
            String line = String.format(Locale.ROOT, "chaos quick-heal (%.0f s): writable in turns %s; %s led before, %s after (%s)",
                    QUICK_HEAL_AFTER_SECONDS, turns, primary.name(), after, rewound);
            System.out.println(line);
            results.add(line);
            assertThat(turns).as("nodes that acknowledged writes, in turns: one writable primary at a time").hasSizeLessThanOrEqualTo(2);
            assertThat(turns.get(0)).isEqualTo(primary.name());
            if (!after.equals(primary.name())) {
                assertThat(turns).as("after a failover, the new primary's writes come last").endsWith(after);
            }
        }
    }

    /**
     * kill -9 of the primary's Patroni in synchronous mode: the scenario Patroni 3.0.2 failed (after its restart it left
     * synchronous_standby_names empty while etcd still named a synchronous replica, so commits went unprotected). With
     * Patroni 4 no acknowledged commit may be lost, and PostgreSQL must wait for the replica Patroni names again.
     */
    @Test
    @Order(8)
    void synchronousKillPatroni() throws Exception {
        waitForSynchronousReplica();
        processFault("kill-9-primary-patroni", primary -> "pkill -9 -f '^/usr/bin/python3 /usr/bin/patroni '", primary -> null);
        waitForSynchronousReplica();
    }

    /**
     * etcd loses its quorum (its members on both replicas' servers stopped) for longer than the leader lock's ttl: with
     * Patroni 4's failsafe_mode, which tpa turns on there, the primary keeps taking writes, since every other member
     * still answers it (so none can have been promoted); without it, Patroni would demote it and the cluster would be
     * read-only until etcd came back. Once the members are back, the group is healthy with the same primary.
     */
    @Test
    @Order(9)
    void etcdQuorumLostPrimaryKeepsServing() throws Exception {
        DeployedNode primary = leader().orElseThrow();
        List<DeployedNode> replicas = group.deployment().nodes().stream().filter(n -> !n.name().equals(primary.name())).toList();
        double outage = FAST_TTL_SECONDS + 15;
        double gap;
        int during;
        List<Long> lost;
        try (ChaosWriter writer = new ChaosWriter(group, "failsafe", WRITER_SECONDS)) {
            Wait.until("for the writer's first 50 commits", Duration.ofSeconds(30), () -> writer.count() >= 50);
            long fault = System.nanoTime();
            int before = writer.count();
            try {
                for (DeployedNode replica : replicas) {
                    TestHosts.Result stopped = hosts.ssh(hostOf(replica), supervisorctl("stop", "etcd-" + replica.name()));
                    assertThat(stopped.succeeded()).as(stopped.output()).isTrue();
                }
                long until = fault + (long) (outage * 1e9);
                Wait.until("for etcd to have been without quorum for " + outage + " s", Duration.ofSeconds(90), () -> System.nanoTime() >= until);
                during = writer.count() - before;
                gap = writer.longestGapSince(fault);
            } finally {
                for (DeployedNode replica : replicas) {
                    hosts.ssh(hostOf(replica), supervisorctl("start", "etcd-" + replica.name()));
                }
            }
            Wait.until("for every replica to stream again", Duration.ofSeconds(120), group::whyNotHealthy);
            try (Connection connection = group.connect(leader().orElseThrow().name())) {
                lost = writer.missingOn(connection);
            }
        }
        String line = String.format(Locale.ROOT, "chaos etcd-quorum-lost (ssh, %s, failsafe_mode): %d commits during %.0f s without "
                + "quorum, longest write gap %.1f s, lost %d acknowledged commits, primary before %s, after %s", mode, during, outage, gap,
                lost.size(), primary.name(), leader().map(DeployedNode::name).orElse("none"));
        System.out.println(line);
        results.add(line);
        assertThat(during).as("commits while etcd had no quorum").isGreaterThan(100);
        assertThat(gap).as("longest write gap while etcd had no quorum (s)").isLessThan(FAST_TTL_SECONDS);
        assertThat(leader().map(DeployedNode::name)).contains(primary.name());
        assertThat(lost).as("acknowledged commits lost").isEmpty();
    }

    /** How often the node's Patroni ran pg_rewind so far, by its log. */
    private long rewinds(TestHosts.Host server, DeployedNode node) {
        String count = hosts.ssh(server, "grep -c 'running pg_rewind' " + group.deployment().baseDirectory() + "/nodes/" + node.name()
                + "/log/patroni.log || true").output().strip();
        return count.isEmpty() ? 0 : Long.parseLong(count.lines().reduce((a, b) -> b).orElse("0"));
    }

    /** The end of every node's Patroni log, for a failure message. */
    private String patroniLogs() {
        StringBuilder logs = new StringBuilder();
        for (DeployedNode node : group.deployment().nodes()) {
            String log = group.deployment().baseDirectory() + "/nodes/" + node.name() + "/log/patroni.log";
            logs.append("\n--- ").append(node.name()).append(" patroni.log (end, without routine lines):\n")
                    .append(hosts.ssh(hostOf(node), "grep -v 'no action' " + log + " | tail -40").output());
        }
        return logs.toString();
    }

    private void link(TestHosts.Host host, String state) {
        TestHosts.Result result = TestHosts.run(10, "ip", "-n", host.name(), "link", "set", "eth0", state);
        assertThat(result.succeeded()).as("ip link set eth0 %s in %s: %s", state, host.name(), result.output()).isTrue();
    }

    /** Whether the node's PostgreSQL accepts a write, asked from inside its server's network (psql over TLS to its own address). */
    private boolean takesWritesFromInside(TestHosts.Host server, DeployedNode node) {
        TestHosts.Result answer = TestHosts.run(15, "ip", "netns", "exec", server.name(), "env", "PGPASSWORD=" + group.superuserPassword(),
                "PGCONNECT_TIMEOUT=3", "psql", "-XAtq", "-U", "postgres", "-d",
                "host=" + node.address() + " dbname=postgres sslmode=verify-full sslrootcert=" + group.directory.resolve("tls/ca.crt"),
                "-c", "SELECT pg_is_in_recovery()");
        return answer.succeeded() && answer.output().strip().equals("f");
    }

    private TestHosts.Host hostOf(DeployedNode node) {
        return hosts.hosts().stream().filter(h -> h.address().equals(node.address())).findFirst().orElseThrow();
    }

    private Optional<DeployedNode> leader() {
        return GroupAccess.open(group.directory).health().leader(group.deployment().clusters().get(0));
    }

    /** Patroni names a synchronous replica and it is running: a commit now waits for it. */
    /**
     * Patroni names a running synchronous replica, and PostgreSQL on the primary waits for it
     * ({@code pg_stat_replication.sync_state = 'sync'}): what Patroni 3.0.2 lost after a restart of its primary's Patroni.
     */
    private void waitForSynchronousReplica() {
        Wait.until("for Patroni and PostgreSQL to agree on a synchronous replica", Duration.ofSeconds(60), () -> {
            Optional<DeployedNode> primary = leader();
            if (primary.isEmpty()) {
                return "no primary";
            }
            String named = null;
            for (com.fasterxml.jackson.databind.JsonNode member : new io.tpa.component.PatroniApi(primary.get(),
                    GroupAccess.open(group.directory).http()).cluster().path("members")) {
                // Patroni 4 says "streaming" of a replica in GET /cluster, Patroni 3.0.2 "running".
                if ("sync_standby".equals(member.path("role").asText())
                        && List.of("running", "streaming").contains(member.path("state").asText())) {
                    named = member.path("name").asText();
                }
            }
            if (named == null) {
                return "no sync_standby yet";
            }
            try (Connection connection = group.connect(primary.get().name());
                 java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync' "
                         + "AND application_name = '" + named + "'")) {
                row.next();
                return row.getInt(1) > 0 ? null : "Patroni names " + named + " sync_standby but PostgreSQL does not wait for it";
            } catch (java.sql.SQLException e) {
                return e.getMessage();
            }
        });
    }
}
