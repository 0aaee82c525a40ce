package io.tpa.operation.bench;

import io.tpa.component.ComponentException;
import io.tpa.component.NodeLayout;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.component.Postgres;
import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.host.HostException;
import io.tpa.host.Platform;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.bench.BenchResult.Figure;
import io.tpa.operation.bench.BenchResult.NodeRun;
import io.tpa.wait.Wait;
import io.tpa.workspace.GroupHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `tpa bench`: measures a running group. pgbench fills a database of its own ({@value #DATABASE}) on the primary and
 * runs its read-write script there (TPS, latency percentiles from its per-transaction log) while the primary's
 * {@code pg_stat_replication} is read every second (the replicas' largest lag), then its select-only script on every
 * replica; pg_test_fsync measures each node's disk, and psql times a query from each node to every other. Every
 * figure is compared with the range {@link Expectations} gives for the node's CPUs and disk. The run is kept as
 * {@code DIR/bench/<started>.json} and committed. The database, pgbench's logs and the fsync test file are removed
 * at the end, also when the run fails.
 */
public final class Bench {
    static final String DATABASE = "tpa_bench";
    static final String DIRECTORY = "bench";
    static final int ROUND_TRIPS = 20;
    private static final DateTimeFormatter FILE_NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern TPS = Pattern.compile("^tps = ([0-9.]+)", Pattern.MULTILINE);
    private static final Pattern LATENCY = Pattern.compile("^latency average = ([0-9.]+) ms", Pattern.MULTILINE);
    private static final Pattern TIME = Pattern.compile("^Time: ([0-9.]+) ms", Pattern.MULTILINE);

    /**
     * What to run.
     *
     * @param durationSeconds how long each pgbench run lasts
     * @param clients         pgbench's clients ({@code -c})
     * @param scale           pgbench's scale factor ({@code -i -s})
     */
    public record Options(int durationSeconds, int clients, int scale) {
        public Options {
            if (durationSeconds < 1 || durationSeconds > 3600) {
                throw new UserError("--duration " + durationSeconds + ": give a number of seconds from 1 to 3600");
            }
            if (clients < 1 || clients > 1000) {
                throw new UserError("--clients " + clients + ": give a number of clients from 1 to 1000");
            }
            if (scale < 1 || scale > 10000) {
                throw new UserError("--scale " + scale + ": give a scale factor from 1 to 10000 (100,000 rows and about 16 MB each)");
            }
        }
    }

    /** What the run is doing: a line per step, and (while pgbench runs) a tick every second. */
    public interface Listener {
        void step(String line);

        default void tick(String line) {
        }
    }

    private Bench() {
    }

    /** Runs the benchmark on the group in {@code path}, keeps its result in the group directory and commits it. */
    public static BenchResult run(Path path, Options options, Listener listener) {
        GroupAccess access = GroupAccess.open(path);
        Deployment deployment = access.deployment();
        GroupHealth health = access.health();
        DeployedNode primary = primary(deployment, health);
        List<DeployedNode> replicas = deployment.nodes().stream().filter(node -> !node.equals(primary))
                .filter(node -> health.member(node.name()).map(MemberStatus::isRunning).orElse(false)).toList();
        Run run = new Run(access, deployment, access.platform(), Catalog.load().postgres(deployment.postgresVersion()).binDir(),
                access.secrets().get(Roles.SUPERUSER), options, listener, Expectations.load());
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        BenchResult result;
        try {
            result = run.measure(primary, replicas, started);
        } catch (HostException | ComponentException e) {
            throw new UserError(UserError.FAILED, "the run stopped, nothing was kept: " + e.getMessage(), e);
        }
        Path file = save(path, result, started);
        new GroupHistory(path).commitOnly("tpa bench: " + summary(result), path.relativize(file).toString());
        return result;
    }

    /** Writes {@code DIR/bench/history.svg}, TPS and p95 latency of every kept run, and commits it. */
    public static Path history(Path path) {
        GroupAccess.applied(path);
        Path directory = path.resolve(DIRECTORY);
        List<BenchResult> runs = new ArrayList<>();
        try (var files = Files.isDirectory(directory) ? Files.list(directory) : java.util.stream.Stream.<Path>empty()) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                runs.add(Json.JSON.readValue(file.toFile(), BenchResult.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (runs.isEmpty()) {
            throw new UserError(directory + ": no run kept yet; run `tpa bench " + path + "` first");
        }
        Path chart = directory.resolve("history.svg");
        try {
            Files.writeString(chart, HistoryChart.render(runs.get(0).group(), runs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new GroupHistory(path).commitOnly("tpa bench --history: " + runs.size() + " run(s) drawn", path.relativize(chart).toString());
        return chart;
    }

    static String summary(BenchResult result) {
        return result.figure(Figures.RW_TPS).map(f -> f.value() + " tps").orElse("no TPS") + ", p95 "
                + result.figure(Figures.RW_P95).map(f -> f.value() + " ms").orElse("unknown") + ", " + result.lowCount() + " low figure(s)";
    }

    private static DeployedNode primary(Deployment deployment, GroupHealth health) {
        DeployedCluster cluster = deployment.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst().orElseThrow();
        return health.leader(cluster).filter(leader -> health.member(leader.name()).map(MemberStatus::isPrimary).orElse(false))
                .orElseThrow(() -> UserError.failed("cluster " + cluster.name() + " has no running primary to measure; see `tpa status "
                        + "DIR`"));
    }

    private static Path save(Path path, BenchResult result, Instant started) {
        try {
            Path directory = Files.createDirectories(path.resolve(DIRECTORY));
            Path file = directory.resolve(FILE_NAME.format(started) + ".json");
            Files.writeString(file, Json.write(result));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One run's session: what it needs to run commands on the nodes. */
    private record Run(GroupAccess access, Deployment deployment, Platform platform, String binDir, String password, Options options,
                       Listener listener, Expectations expected) {

        BenchResult measure(DeployedNode primary, List<DeployedNode> replicas, Instant started) {
            List<DeployedNode> nodes = new ArrayList<>();
            nodes.add(primary);
            nodes.addAll(replicas);
            int steps = 4 + replicas.size();
            int step = 0;
            Map<String, NodeRun> runs = new LinkedHashMap<>();
            List<Figure> figures = new ArrayList<>();
            try {
                listener.step(progress(++step, steps, "machine facts and fsync rate (pg_test_fsync) of " + names(nodes)));
                Map<String, Double> fsync = new LinkedHashMap<>();
                for (DeployedNode node : nodes) {
                    NodeRun run = nodeRun(node, node.equals(primary) ? "primary" : "replica");
                    runs.put(node.name(), run);
                    fsync.put(node.name(), fsyncRate(node));
                    figures.add(Figures.fsync(expected, run, fsync.get(node.name())));
                }
                listener.step(progress(++step, steps, "round trips between the nodes (" + ROUND_TRIPS + " queries each way, median)"));
                for (DeployedNode from : nodes) {
                    for (DeployedNode to : nodes) {
                        if (!from.equals(to)) {
                            figures.add(Figures.roundTrip(expected, from.name(), to.name(), roundTripMs(from, to)));
                        }
                    }
                }
                listener.step(progress(++step, steps, "pgbench -i -s " + options.scale() + " into database " + DATABASE + " on " + primary.name()));
                initialize(primary, replicas);

                listener.step(progress(++step, steps, "read-write run on " + primary.name() + ": " + options.durationSeconds() + " s, "
                        + options.clients() + " clients; replication lag read every second"));
                NodeRun primaryRun = runs.get(primary.name());
                boolean fsyncLow = figures.stream().anyMatch(f -> f.node().equals(primary.name()) && f.name().equals(Figures.FSYNC) && f.low());
                double primaryFsync = fsync.get(primary.name());
                LagSampler lag = new LagSampler(this, primary);
                String output;
                double[] latencies;
                lag.start();
                try {
                    String logDirectory = NodeLayout.of(deployment.baseDirectory(), primary.name()).directory() + "/tpa-bench";
                    Host host = host(primary);
                    host.remove(logDirectory);
                    host.createDirectory(logDirectory, FileOwner.directory(host.serviceUser()));
                    try {
                        output = pgbench(primary, List.of("-l", "--log-prefix=" + logDirectory + "/transactions"));
                        latencies = readLatencies(host, logDirectory);
                    } finally {
                        host.remove(logDirectory);
                    }
                } finally {
                    lag.stop();
                }
                figures.add(Figures.rwTps(expected, primaryRun, number(TPS, output, primary), primaryFsync, fsyncLow));
                figures.add(Figures.rwLatency(expected, primaryRun, Figures.RW_P50, Percentiles.of(latencies, 50), primaryFsync, options.clients(), fsyncLow));
                figures.add(Figures.rwLatency(expected, primaryRun, Figures.RW_P95, Percentiles.of(latencies, 95), primaryFsync, options.clients(), fsyncLow));
                figures.add(Figures.rwLatency(expected, primaryRun, Figures.RW_P99, Percentiles.of(latencies, 99), primaryFsync, options.clients(), fsyncLow));
                for (DeployedNode replica : replicas.stream().filter(replica -> lag.seen(replica.name())).toList()) {
                    figures.add(Figures.lagBytes(expected, replica.name(), lag.maxBytes(replica.name())));
                    figures.add(Figures.lagSeconds(expected, replica.name(), lag.maxSeconds(replica.name())));
                }
                for (DeployedNode replica : replicas) {
                    listener.step(progress(++step, steps, "select-only run on " + replica.name() + ": " + options.durationSeconds() + " s, "
                            + options.clients() + " clients"));
                    String readOnly = pgbench(replica, List.of("-S"));
                    NodeRun replicaRun = runs.get(replica.name());
                    figures.add(Figures.roTps(expected, replicaRun, number(TPS, readOnly, replica)));
                    figures.add(Figures.roLatency(replicaRun, number(LATENCY, readOnly, replica)));
                }
            } finally {
                dropDatabase(primary);
            }
            return new BenchResult(deployment.group(), started.toString(), options.durationSeconds(), options.clients(), options.scale(),
                    List.copyOf(runs.values()), figures);
        }

        private static String progress(int step, int steps, String what) {
            return "[" + step + "/" + steps + "] " + what;
        }

        private static String names(List<DeployedNode> nodes) {
            return String.join(", ", nodes.stream().map(DeployedNode::name).toList());
        }

        Host host(DeployedNode node) {
            return platform.host(node.address());
        }

        NodeRun nodeRun(DeployedNode node, String role) {
            Host host = host(node);
            String cpus = host.check(Command.of("nproc")).stdout().trim();
            long memoryMb = MachineFacts.memoryMb(host.readFile("/proc/meminfo").orElse(""));
            MachineFacts machine = new MachineFacts(Integer.parseInt(cpus), memoryMb);
            int sizeCpus = node.size().cpus();
            return new NodeRun(node.name(), role, node.size().name() == null ? "custom" : node.size().name(), sizeCpus, node.size().memoryGb(),
                    machine, Math.max(1, Math.min(sizeCpus, machine.cpus())));
        }

        /** pg_test_fsync's ops/s for the wal_sync_method the node's PostgreSQL uses, one second per method, in its directory. */
        double fsyncRate(DeployedNode node) {
            String method = Postgres.query(host(node), deployment, node, password, "SHOW wal_sync_method").get(0).trim();
            String file = NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/tpa-bench-fsync.tmp";
            Host host = host(node);
            try {
                CommandResult result = host.check(new Command(List.of(binDir + "/pg_test_fsync", "-s", "1", "-f", file), host.serviceUser(),
                        Map.of(), null, Duration.ofMinutes(2)));
                return FsyncOutput.opsPerSecond(result.stdout(), method).orElseThrow(() -> new HostException(host.name()
                        + ": pg_test_fsync printed no rate for wal_sync_method " + method + " on " + node.name()));
            } finally {
                host.remove(file);
            }
        }

        /**
         * The median time of {@value #ROUND_TRIPS} {@code SELECT 1} in one psql session from {@code from}'s host to
         * {@code to}'s PostgreSQL, over TCP and TLS as tpa's clients connect (psql's {@code \timing}: the query's round trip,
         * without the connection's set-up).
         */
        double roundTripMs(DeployedNode from, DeployedNode to) {
            String conninfo = "host=" + to.address() + " port=" + Deployment.POSTGRES_PORT + " dbname=postgres user=" + Roles.SUPERUSER
                    + " sslmode=verify-full sslrootcert=" + NodeLayout.of(deployment.baseDirectory(), from.name()).tlsDirectory() + "/ca.crt"
                    + " connect_timeout=5";
            String script = "\\timing on\n" + "SELECT 1;\n".repeat(ROUND_TRIPS);
            Host host = host(from);
            CommandResult result = host.check(new Command(List.of(binDir + "/psql", "-X", "-w", "-q", "-A", "-t", "-d", conninfo, "-f", "-"),
                    host.serviceUser(), environment(), script, Duration.ofSeconds(60)));
            List<Double> times = new ArrayList<>();
            Matcher matcher = TIME.matcher(result.stdout());
            while (matcher.find()) {
                times.add(Double.parseDouble(matcher.group(1)));
            }
            if (times.isEmpty()) {
                throw new HostException(host.name() + ": psql from " + from.name() + " to " + to.name() + " printed no timing");
            }
            return Percentiles.median(times);
        }

        /** A fresh database, filled by pgbench -i, and every replica caught up with it. */
        void initialize(DeployedNode primary, List<DeployedNode> replicas) {
            dropDatabase(primary);
            Postgres.query(host(primary), deployment, primary, password, "CREATE DATABASE " + DATABASE);
            runPgbench(primary, List.of("-i", "-q", "-s", Integer.toString(options.scale())), Duration.ofMinutes(30));
            String position = Postgres.query(host(primary), deployment, primary, password, "SELECT pg_current_wal_lsn()").get(0).trim();
            for (DeployedNode replica : replicas) {
                Wait.until(replica.name() + " to replay pgbench's tables", Duration.ofMinutes(5), () -> Postgres.query(host(replica), deployment,
                        replica, password, "SELECT pg_last_wal_replay_lsn() >= '" + position + "'::pg_lsn").get(0).trim().equals("t"));
            }
        }

        void dropDatabase(DeployedNode primary) {
            try {
                Postgres.query(host(primary), deployment, primary, password, "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            } catch (ComponentException | HostException e) {
                listener.step("could not drop database " + DATABASE + " on " + primary.name() + ": " + e.getMessage());
            }
        }

        /** A timed pgbench run on a node against {@value #DATABASE}: its output. */
        String pgbench(DeployedNode node, List<String> more) {
            List<String> arguments = new ArrayList<>(List.of("-n", "-c", Integer.toString(options.clients()),
                    "-j", Integer.toString(Math.min(options.clients(), 2)), "-T", Integer.toString(options.durationSeconds())));
            arguments.addAll(more);
            return runPgbench(node, arguments, Duration.ofSeconds(options.durationSeconds() + 120L));
        }

        String runPgbench(DeployedNode node, List<String> arguments, Duration timeout) {
            NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
            List<String> argv = new ArrayList<>(List.of(binDir + "/pgbench", "-h", layout.runDirectory(), "-p",
                    Integer.toString(Deployment.POSTGRES_PORT), "-U", Roles.SUPERUSER));
            argv.addAll(arguments);
            argv.add(DATABASE);
            Host host = host(node);
            CommandResult result = host.run(new Command(argv, host.serviceUser(), environment(), null, timeout));
            if (!result.ok()) {
                throw new HostException(host.name() + ": pgbench on " + node.name() + " failed (exit " + result.exitCode() + "): "
                        + result.lastErrorLine());
            }
            return result.stdout() + "\n" + result.stderr();
        }

        private Map<String, String> environment() {
            return Map.of("PGPASSWORD", password, "PGAPPNAME", "tpa bench");
        }

        private static double[] readLatencies(Host host, String logDirectory) {
            CommandResult files = host.check(Command.of("find", logDirectory, "-type", "f", "-name", "transactions.*"));
            StringBuilder log = new StringBuilder();
            for (String file : files.stdout().lines().filter(line -> !line.isBlank()).toList()) {
                log.append(host.readFile(file.trim()).orElse("")).append('\n');
            }
            double[] latencies = Percentiles.pgbenchLatenciesMs(log.toString());
            if (latencies.length == 0) {
                throw new HostException(host.name() + ": pgbench logged no transaction in " + logDirectory);
            }
            return latencies;
        }

        private static double number(Pattern pattern, String output, DeployedNode node) {
            Matcher matcher = pattern.matcher(output);
            if (!matcher.find()) {
                throw new HostException("pgbench on " + node.name() + " printed no '" + pattern.pattern().substring(1).replaceAll(" \\(.*", "")
                        + "' line");
            }
            return Double.parseDouble(matcher.group(1));
        }
    }

    /** Reads the primary's pg_stat_replication every second and keeps each replica's largest lag. */
    private static final class LagSampler {
        private static final String QUERY = "SELECT application_name, COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint, "
                + "COALESCE(EXTRACT(epoch FROM replay_lag), 0) FROM pg_stat_replication";
        private final Run run;
        private final DeployedNode primary;
        private final Map<String, Long> bytes = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Double> seconds = new java.util.concurrent.ConcurrentHashMap<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final long startedNanos = System.nanoTime();

        LagSampler(Run run, DeployedNode primary) {
            this.run = run;
            this.primary = primary;
        }

        void start() {
            timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
        }

        void stop() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void sample() {
            try {
                List<String> rows = Postgres.query(run.host(primary), run.deployment(), primary, run.password(), QUERY);
                StringBuilder now = new StringBuilder();
                for (String row : rows) {
                    String[] fields = row.split("\\|");
                    bytes.merge(fields[0], Long.parseLong(fields[1]), Math::max);
                    seconds.merge(fields[0], Double.parseDouble(fields[2]), Math::max);
                    now.append(", ").append(fields[0]).append(" ").append(fields[1]).append(" B behind");
                }
                long elapsed = (System.nanoTime() - startedNanos) / 1_000_000_000L;
                run.listener().tick(elapsed + "/" + run.options().durationSeconds() + " s" + now);
            } catch (RuntimeException e) {
                // A missed reading (a psql that timed out under load) leaves the maximum of the others.
            }
        }

        /** True when the primary listed the replica at least once: it streams from the primary directly. */
        boolean seen(String replica) {
            return bytes.containsKey(replica);
        }

        long maxBytes(String replica) {
            return bytes.getOrDefault(replica, 0L);
        }

        double maxSeconds(String replica) {
            return seconds.getOrDefault(replica, 0.0);
        }
    }

    /** pg_test_fsync's report, read. */
    static final class FsyncOutput {
        private FsyncOutput() {
        }

        /** The ops/s of a method in the first section (one 8kB write), as PostgreSQL's WAL writer does per commit. */
        static Optional<Double> opsPerSecond(String output, String method) {
            Matcher matcher = Pattern.compile("^\\s+" + Pattern.quote(method) + "\\s+([0-9.]+) ops/sec", Pattern.MULTILINE).matcher(output);
            return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
        }
    }
}
