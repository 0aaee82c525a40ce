package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.wait.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos suite on the local platform: a 3-node group under a concurrent writer, one fault at a time, then a
 * wait for recovery and the checks a user cares about: every acknowledged commit is still there, the group is
 * healthy again, and how long writes stopped (from the fault to the first commit that the primary after the fault
 * acknowledged). One asynchronous group (the default): this machine runs Debian 12, whose Patroni 3.0.2 tpa does
 * not let run {@code synchronous: true} (it leaves commits unprotected after it restarts on the primary; the
 * synchronous scenarios run on Debian 13 test hosts in SshChaosIT). Each scenario leaves the group healthy for the next. Results go to standard output as
 * {@code chaos <scenario>: failover X s, lost N acknowledged commits} and are summarised in docs/reliability.md.
 *
 * <p>Network cuts (link down) need hosts with network interfaces of their own (network namespaces): not here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
    /**
     * The bound on a failover after the primary's machine dies, with tpa's Patroni settings: the dead primary renewed
     * its leader lock up to loop_wait (3 s) before it died, the lock lives ttl (15 s) from then, and a replica takes it
     * and promotes within about loop_wait (3 s) of its expiry. Measured: 12.5 to 15.5 s (docs/reliability.md).
     * Patroni's ttl alone can take 15 s after the fault, so the target of at most 15 s needs a shorter ttl.
     */
    private static final double FAILOVER_BOUND_SECONDS = 15 + 3;
    private static final int WRITER_SECONDS = 240;

    private TestGroup asynchronous;
    private final List<String> results = new ArrayList<>();

    @BeforeAll
    void applyGroups() {
        asynchronous = TestGroup.create(TestGroup.config("chaosa", 3, ""));
        asynchronous.apply();
    }

    @AfterAll
    void destroyGroups() {
        results.forEach(System.out::println);
        if (asynchronous != null) {
            asynchronous.close();
        }
    }

    // --- asynchronous (the default) ---

    @Test
    @Order(1)
    void asynchronousKillPostgres() throws Exception {
        killPrimaryPostgres(asynchronous);
    }

    @Test
    @Order(2)
    void asynchronousKillPatroni() throws Exception {
        killPrimaryPatroni(asynchronous);
    }

    @Test
    @Order(3)
    void asynchronousPrimaryNodeDies() throws Exception {
        primaryNodeDies(asynchronous);
    }

    @Test
    @Order(4)
    void etcdLosesOneMemberThenQuorum() throws Exception {
        TestGroup group = asynchronous;
        DeployedNode primary = primary(group);
        List<DeployedNode> others = group.deployment().etcdMembers().stream().filter(n -> !n.name().equals(primary.name())).toList();
        assertThat(others).hasSize(2);
        String base = group.deployment().baseDirectory();
        try (ChaosWriter writer = new ChaosWriter(group, "chaos_etcd", WRITER_SECONDS)) {
            waitForCommits(writer, 20);

            // One member of three down: etcd keeps its quorum, nothing changes for the writer.
            long firstDown = System.nanoTime();
            killAndKeepDown(group, "etcd-" + others.get(0).name(), List.of());
            int before = writer.count();
            Wait.until("for 30 more commits with one etcd member down", Duration.ofSeconds(20), () -> writer.count() >= before + 30);
            assertThat(primary(group).name()).as("the primary with one etcd member down").isEqualTo(primary.name());
            double longestGap = writer.longestGapSince(firstDown);
            assertThat(longestGap).as("longest pause of the writer with one etcd member down (s)").isLessThan(3);

            // Two of three down: no quorum. Patroni 3.0.2 without failsafe_mode: the primary cannot renew its lock,
            // and after retry_timeout it demotes itself; no replica can take the lock either.
            long quorumLost = System.nanoTime();
            killAndKeepDown(group, "etcd-" + others.get(1).name(), List.of());
            Wait.until("for " + primary.name() + " to stop taking writes without etcd quorum", Duration.ofSeconds(60),
                    () -> takesWrites(group, primary) ? "it still takes writes" : null);
            long stoppedAt = System.nanoTime();
            double acceptedFor = writer.lastBefore(stoppedAt).filter(c -> c.at() >= quorumLost)
                    .map(c -> seconds(c.at() - quorumLost)).orElse(0.0);
            String primaryState = describe(group, primary);
            Wait.until("for the writer to be refused for 5 s without etcd quorum", Duration.ofSeconds(30),
                    () -> writer.lastFailure() - stoppedAt > 5_000_000_000L);
            assertThat(writer.firstSince(stoppedAt, null)).as("a commit acknowledged without etcd quorum").isEmpty();
            String primaryStateLater = describe(group, primary);
            GroupHealth health = GroupAccess.open(group.directory).health();
            DeployedCluster cluster = group.deployment().clusters().get(0);
            assertThat(health.leader(cluster)).as("a writable primary without etcd quorum").isEmpty();

            long healed = System.nanoTime();
            supervisorctl(group, "start", "etcd-" + others.get(0).name(), "etcd-" + others.get(1).name());
            Wait.until("for a writable primary after etcd regains its quorum", Duration.ofSeconds(90),
                    () -> writer.firstSince(healed, null).isPresent());
            double writableAfter = seconds(writer.firstSince(healed, null).orElseThrow().at() - healed);
            double unavailable = seconds(writer.firstSince(healed, null).orElseThrow().at() - stoppedAt);
            waitHealthy(group);
            List<Long> lost = lost(group, writer);
            record("etcd-quorum (async)", unavailable, lost.size(), String.format(Locale.ROOT,
                    "one member down: longest writer pause %.2f s; quorum lost: %s still acknowledged commits for %.1f s, "
                            + "then stopped taking writes (%s); 5 s later: %s; writable again %.1f s after etcd came back; base %s",
                    longestGap, primary.name(), acceptedFor, primaryState, primaryStateLater, writableAfter, base));
            assertThat(lost).as("acknowledged commits lost").isEmpty();
        }
    }

    @Test
    @Order(5)
    void replicaStopsDuringLoadAndCatchesUp() throws Exception {
        TestGroup group = asynchronous;
        DeployedNode replica = replicas(group).get(0);
        try (ChaosWriter writer = new ChaosWriter(group, "chaos_replica", WRITER_SECONDS)) {
            waitForCommits(writer, 20);
            long fault = System.nanoTime();
            supervisorctl(group, "stop", "patroni-" + replica.name());
            int before = writer.count();
            Wait.until("for 200 more commits while " + replica.name() + " is down", Duration.ofSeconds(60),
                    () -> writer.count() >= before + 200);
            double longestGap = writer.longestGapSince(fault);
            supervisorctl(group, "start", "patroni-" + replica.name());
            waitHealthy(group);
            int acknowledged = writer.count();
            List<Long> ids = writer.commits().stream().limit(acknowledged).map(ChaosWriter.Commit::id).toList();
            Wait.until("for " + replica.name() + " to replay every acknowledged commit", Duration.ofSeconds(60), () -> {
                try (Connection connection = group.connect(replica.name())) {
                    List<Long> missing = writer.missingOn(connection).stream().filter(ids::contains).toList();
                    return missing.isEmpty() ? null : missing.size() + " commits not replayed yet";
                } catch (SQLException e) {
                    return e.getMessage();
                }
            });
            List<Long> lost = lost(group, writer);
            record("replica-stop (async)", 0, lost.size(), String.format(Locale.ROOT,
                    "longest writer pause while %s stopped: %.2f s", replica.name(), longestGap));
            assertThat(lost).as("acknowledged commits lost").isEmpty();
        }
    }

    /**
     * On Debian 12 (Patroni 3.0.2), {@code synchronous: true} is refused with a one-line error naming the key, and nothing
     * changes: Patroni 3.0.2 empties synchronous_standby_names after it restarts on the primary while etcd still names a
     * synchronous replica, so commits would be acknowledged unprotected (1 lost in 2 of 6 machine-death runs before).
     */
    @Test
    @Order(6)
    void synchronousModeIsRefusedOnPatroni3() {
        TestGroup group = asynchronous;
        String config = TestGroup.config("chaosa", 3, "synchronous: true\n");
        group.writeConfig(config);
        int line = config.lines().toList().indexOf("synchronous: true") + 1;
        try {
            for (String command : List.of("plan", "apply")) {
                Tpa.Result refused = group.tpa(command);
                // plan follows terraform's -detailed-exitcode (2 means "changes pending"), so its errors are 1
                assertThat(refused.exitCode()).as(refused.output()).isEqualTo(command.equals("plan") ? 1 : 2);
                assertThat(refused.stderr().strip()).as(command).hasLineCount(1)
                        .startsWith("tpa: " + group.directory.resolve("tpa.yml") + ":" + line + ":")
                        .contains("synchronous: true needs Patroni 4", "runs debian-12 with Patroni 3.0.2", "remove synchronous: true");
            }
            GroupAccess access = GroupAccess.open(group.directory);
            DeployedNode primary = primary(group);
            assertThat(new io.tpa.component.PatroniApi(primary, access.http()).dynamicConfiguration().path("synchronous_mode").asBoolean(false))
                    .as("Patroni's synchronous_mode after the refused apply").isFalse();
        } finally {
            group.writeConfig(TestGroup.config("chaosa", 3, ""));
        }
        assertThat(group.tpa("apply").stdout()).contains("No changes");
    }

    // --- the scenarios ---

    /** kill -9 the primary's postmaster and every one of its processes: Patroni starts it again (or fails over). */
    private void killPrimaryPostgres(TestGroup group) throws Exception {
        DeployedNode primary = primary(group);
        try (ChaosWriter writer = new ChaosWriter(group, "chaos_kill_postgres", WRITER_SECONDS)) {
            waitForCommits(writer, 50);
            List<ProcessHandle> postgres = postgresProcesses(group, primary);
            long fault = System.nanoTime();
            postgres.forEach(ProcessHandle::destroyForcibly);
            Recovery recovery = awaitRecovery(group, writer, fault, true);
            List<Long> lost = lost(group, writer);
            record("kill-9-postgres (async)", recovery.seconds, lost.size(),
                    primary.name() + " killed; primary afterwards " + recovery.primary.name());
        }
        waitHealthy(group);
    }

    /** kill -9 the primary's Patroni: supervisord starts it again; PostgreSQL keeps running meanwhile. */
    private void killPrimaryPatroni(TestGroup group) throws Exception {
        DeployedNode primary = primary(group);
        try (ChaosWriter writer = new ChaosWriter(group, "chaos_kill_patroni", WRITER_SECONDS)) {
            waitForCommits(writer, 50);
            ProcessHandle patroni = patroniProcess(group, primary);
            long fault = System.nanoTime();
            patroni.destroyForcibly();
            Wait.until("for supervisord to start " + primary.name() + "'s Patroni again", Duration.ofSeconds(30),
                    () -> patroniProcess(group, primary).pid() != patroni.pid());
            Recovery recovery = awaitRecovery(group, writer, fault, false);
            List<Long> lost = lost(group, writer);
            record("kill-9-patroni (async)", recovery.seconds, lost.size(), String.format(Locale.ROOT,
                    "%s's Patroni killed; primary afterwards %s; longest writer pause %.2f s", primary.name(),
                    recovery.primary.name(), writer.longestGapSince(fault)));
        }
        waitHealthy(group);
    }

    /**
     * The primary's machine dies: its Patroni and every PostgreSQL process are killed with SIGKILL at once, and
     * nothing starts them again (etcd's member on that node keeps running: the other two would keep the quorum
     * anyway). A replica takes over once the dead primary's leader lock expires (ttl 15 s). `tpa apply` then
     * brings the node back, and it rejoins as a replica of the new primary (with pg_rewind when it has diverged).
     */
    private void primaryNodeDies(TestGroup group) throws Exception {
        DeployedNode primary = primary(group);
        Recovery recovery;
        List<Long> lost;
        double lockTaken;
        try (ChaosWriter writer = new ChaosWriter(group, "chaos_node_dies", WRITER_SECONDS)) {
            waitForCommits(writer, 50);
            ProcessHandle patroni = patroniProcess(group, primary);
            List<ProcessHandle> postgres = postgresProcesses(group, primary);
            String replication = replicationState(group, primary);
            signal("STOP", patroni.pid()); // frozen, as on a dead machine: it must not react to its PostgreSQL dying
            long fault = System.nanoTime();
            long faultWallClock = System.currentTimeMillis();
            postgres.forEach(ProcessHandle::destroyForcibly);
            killAndKeepDown(group, "patroni-" + primary.name(), List.of());
            try {
                Wait.until("for a replica of " + primary.name() + " to be promoted", Duration.ofSeconds(60),
                        () -> currentLeader(group).filter(leader -> !leader.name().equals(primary.name())).isPresent() ? null : "no new primary yet");
            } catch (Wait.WaitTimeout e) {
                StringBuilder logs = new StringBuilder(e.getMessage());
                replicasOf(group, primary).forEach(node -> logs.append("\n--- ").append(node.name()).append(" patroni.log (end):\n")
                        .append(patroniLog(group, node).lines().skip(Math.max(0, patroniLog(group, node).lines().count() - 25))
                                .collect(java.util.stream.Collectors.joining("\n"))));
                throw new AssertionError(logs.toString(), e);
            }
            recovery = awaitRecovery(group, writer, fault, true);
            lost = lost(group, writer);
            lockTaken = lockTakenSeconds(group, recovery.primary, faultWallClock);
            if (!lost.isEmpty()) {
                System.out.println("chaos primary-node-dies (async): lost " + describeCommits(writer, lost, fault)
                        + "; replication just before the fault: " + replication);
            }
        }
        Tpa.Result applied = group.apply();
        waitHealthy(group);
        GroupHealth health = GroupAccess.open(group.directory).health();
        assertThat(health.member(primary.name()).orElseThrow().role()).as("%s after it came back", primary.name()).isEqualTo("replica");
        boolean rewound = patroniLog(group, primary).contains("pg_rewind");
        record("primary-node-dies (async)", recovery.seconds, lost.size(), String.format(Locale.ROOT,
                "%s died; %s took the leader lock %.1f s after the fault; %s rejoined as a replica after `tpa apply` (%s)%s", primary.name(), recovery.primary.name(), lockTaken,
                primary.name(), applied.stdout().lines().filter(l -> l.startsWith("Applied")).findFirst().orElse("").strip(),
                rewound ? ", with pg_rewind" : ", without pg_rewind"));
        assertThat(recovery.primary.name()).isNotEqualTo(primary.name());
        assertThat(recovery.seconds).as("failover time after the primary's machine died (s)").isLessThanOrEqualTo(FAILOVER_BOUND_SECONDS);
        waitHealthy(group);
    }

    // --- recovery and checks ---

    private record Recovery(DeployedNode primary, double seconds) {
    }

    /**
     * Waits until the node that leads now has acknowledged a commit since the fault (with {@code interruptsWrites}, since
     * the writer's first failed attempt after it: a commit in flight at the fault may still be acknowledged before its
     * server dies); the time from the fault to that commit.
     */
    private Recovery awaitRecovery(TestGroup group, ChaosWriter writer, long fault, boolean interruptsWrites) {
        if (interruptsWrites) {
            Wait.until("for the writer to notice the fault", Duration.ofSeconds(30), () -> writer.firstFailureSince(fault).isPresent());
        }
        long since = interruptsWrites ? writer.firstFailureSince(fault).orElseThrow() : fault;
        DeployedNode[] leader = new DeployedNode[1];
        Wait.until("for the primary to acknowledge a commit after the fault", Duration.ofSeconds(90), () -> {
            leader[0] = currentLeader(group).orElse(null);
            if (leader[0] == null) {
                return "no running primary";
            }
            return writer.firstSince(since, leader[0].address()).isPresent() ? null : leader[0].name() + " has acknowledged no commit yet";
        });
        ChaosWriter.Commit first = writer.firstSince(since, leader[0].address()).orElseThrow();
        return new Recovery(leader[0], seconds(first.at() - fault));
    }

    private static void waitHealthy(TestGroup group) {
        Wait.until("for every replica to stream from its primary", Duration.ofSeconds(120), group::whyNotHealthy);
    }

    private static void waitForCommits(ChaosWriter writer, int count) {
        Wait.until("for the writer's first " + count + " commits", Duration.ofSeconds(30), () -> writer.count() >= count);
    }

    /** The acknowledged commits that the primary does not have. */
    private static List<Long> lost(TestGroup group, ChaosWriter writer) throws SQLException {
        DeployedNode primary = currentLeader(group).orElseThrow();
        try (Connection connection = group.connect(primary.name())) {
            return writer.missingOn(connection);
        }
    }

    /** Patroni's view ({@code GET /cluster} roles) and PostgreSQL's (synchronous_standby_names, pg_stat_replication). */
    private static String replicationState(TestGroup group, DeployedNode primary) {
        StringBuilder state = new StringBuilder();
        GroupAccess access = GroupAccess.open(group.directory);
        new io.tpa.component.PatroniApi(primary, access.http()).cluster().path("members")
                .forEach(m -> state.append(m.path("name").asText()).append('=').append(m.path("role").asText()).append(' '));
        try (Connection connection = group.connect(primary.name()); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_setting('synchronous_standby_names'), application_name, sync_state, "
                     + "flush_lsn::text, pg_current_wal_lsn()::text FROM pg_stat_replication")) {
            while (rows.next()) {
                state.append("[ssn '").append(rows.getString(1)).append("' ").append(rows.getString(2)).append(' ').append(rows.getString(3))
                        .append(" flushed ").append(rows.getString(4)).append(" of ").append(rows.getString(5)).append("] ");
            }
        } catch (SQLException e) {
            state.append(e.getMessage());
        }
        return state.toString().strip();
    }

    private static String describeCommits(ChaosWriter writer, List<Long> ids, long fault) {
        return writer.commits().stream().filter(c -> ids.contains(c.id()))
                .map(c -> String.format(Locale.ROOT, "#%d acknowledged by %s %.3f s after the fault", c.id(), c.server(), seconds(c.at() - fault)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static boolean takesWrites(TestGroup group, DeployedNode node) {
        try (Connection connection = group.connect(node.name()); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            row.next();
            return !row.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** What a node's PostgreSQL is now: down, a read-only replica, or a primary. */
    private static String describe(TestGroup group, DeployedNode node) {
        try (Connection connection = group.connect(node.name()); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            row.next();
            return node.name() + "'s PostgreSQL " + (row.getBoolean(1) ? "runs read-only (in recovery)" : "is still a primary");
        } catch (SQLException e) {
            return node.name() + "'s PostgreSQL does not accept connections (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    private void record(String scenario, double failoverSeconds, int lost, String detail) {
        String line = String.format(Locale.ROOT, "chaos %s: failover %.1f s, lost %d acknowledged commits (%s)",
                scenario, failoverSeconds, lost, detail);
        System.out.println(line);
        results.add(line);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    // --- the group's processes ---

    private static java.util.Optional<DeployedNode> currentLeader(TestGroup group) {
        GroupHealth health = GroupAccess.open(group.directory).health();
        return health.leader(group.deployment().clusters().get(0));
    }

    private static DeployedNode primary(TestGroup group) {
        return currentLeader(group).orElseThrow(() -> new AssertionError("no primary in " + group.path()));
    }

    private static List<DeployedNode> replicas(TestGroup group) {
        DeployedNode primary = primary(group);
        return group.deployment().nodes().stream().filter(n -> !n.name().equals(primary.name())).toList();
    }

    private static List<DeployedNode> replicasOf(TestGroup group, DeployedNode primary) {
        return group.deployment().nodes().stream().filter(n -> !n.name().equals(primary.name())).toList();
    }

    private static String nodeDirectory(TestGroup group, DeployedNode node) {
        return group.deployment().baseDirectory() + "/nodes/" + node.name();
    }

    /** The node's postmaster (from postmaster.pid) and every process it started. */
    private static List<ProcessHandle> postgresProcesses(TestGroup group, DeployedNode node) {
        try {
            String pid = Files.readAllLines(Path.of(nodeDirectory(group, node), "pgdata", "postmaster.pid")).get(0).strip();
            ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pid)).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
            List<ProcessHandle> all = new ArrayList<>();
            all.add(postmaster);
            postmaster.descendants().forEach(all::add);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessHandle patroniProcess(TestGroup group, DeployedNode node) {
        String pid = supervisorctl(group, "pid", "patroni-" + node.name()).stdout().strip();
        return ProcessHandle.of(Long.parseLong(pid)).orElseThrow(() -> new IllegalStateException("no Patroni process " + pid));
    }

    /**
     * Ends a supervisord program with SIGKILL so that supervisord does not start it again: asks supervisord to stop
     * it (SIGTERM, which a frozen process does not act on), then kills it (and {@code alsoKill}) with SIGKILL.
     */
    private static void killAndKeepDown(TestGroup group, String program, List<ProcessHandle> alsoKill) {
        String pid = supervisorctl(group, "pid", program).stdout().strip();
        ProcessHandle process = ProcessHandle.of(Long.parseLong(pid)).orElseThrow(() -> new AssertionError("no process " + pid));
        signal("STOP", process.pid());
        CompletableFuture<Tpa.Result> stop = CompletableFuture.supplyAsync(() -> supervisorctl(group, "stop", program));
        Wait.until("for supervisord to be stopping " + program, Duration.ofSeconds(10),
                () -> supervisorctl(group, "status", program).stdout().contains("STOPPING"));
        process.destroyForcibly();
        alsoKill.forEach(ProcessHandle::destroyForcibly);
        assertThat(stop.join().stdout()).contains("stopped");
    }

    private static void signal(String signal, long pid) {
        Tpa.Result result = Tpa.exec(List.of("kill", "-" + signal, Long.toString(pid)), 10);
        assertThat(result.exitCode()).as("kill -%s %d: %s", signal, pid, result.output()).isZero();
    }

    private static Tpa.Result supervisorctl(TestGroup group, String... arguments) {
        List<String> command = new ArrayList<>(List.of("supervisorctl", "-c", group.deployment().baseDirectory() + "/supervisor/supervisord.conf"));
        command.addAll(List.of(arguments));
        return Tpa.exec(command, 150);
    }

    /** When {@code node}'s Patroni logged taking the leader lock, in seconds after {@code since} (wall clock); NaN if it did not. */
    private static double lockTakenSeconds(TestGroup group, DeployedNode node, long since) {
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
        return patroniLog(group, node).lines().filter(line -> line.contains("promoted self to leader by acquiring session lock"))
                .reduce((first, second) -> second)
                .map(line -> java.time.LocalDateTime.parse(line.substring(0, 23), format).atZone(java.time.ZoneId.systemDefault())
                        .toInstant().toEpochMilli())
                .map(at -> (at - since) / 1e3).orElse(Double.NaN);
    }

    private static String patroniLog(TestGroup group, DeployedNode node) {
        try {
            return Files.readString(Path.of(nodeDirectory(group, node), "log", "patroni.log"));
        } catch (IOException e) {
            return "";
        }
    }
}
