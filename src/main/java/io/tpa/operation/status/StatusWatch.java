package io.tpa.operation.status;

import io.tpa.component.Postgres;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.operation.GroupAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code tpa status --watch}: the group's status again and again, each time with every node's transactions per second
 * since the time before (commits and rollbacks of every database, {@code pg_stat_database}, read with psql on the node's
 * host). A node that does not answer has no rate; the first frame has none.
 */
public final class StatusWatch {
    /** SQL for a node's transaction count. */
    static final String TRANSACTIONS = "SELECT sum(xact_commit + xact_rollback)::bigint FROM pg_catalog.pg_stat_database";

    private final Path directory;
    private Map<String, Long> previousCounts = Map.of();
    private Instant previousTime;

    /**
     * One refresh.
     *
     * @param tps transactions per second of each node since the frame before (missing for a node without a rate)
     */
    public record Frame(GroupStatus status, Map<String, Double> tps, Instant time) {
    }

    public StatusWatch(Path directory) {
        this.directory = directory;
    }

    /** The status now, and every node's rate since the last call. */
    public synchronized Frame next() {
        GroupStatus status = Status.live(directory);
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = access.deployment();
        String password = access.secrets().get(Roles.SUPERUSER);
        Map<String, Long> counts = new LinkedHashMap<>();
        List<DeployedNode> nodes = deployment.nodes();
        nodes.parallelStream().forEach(node -> {
            Long count = count(access, deployment, node, password);
            if (count != null) {
                synchronized (counts) {
                    counts.put(node.name(), count);
                }
            }
        });
        Instant now = Instant.now();
        Map<String, Double> tps = previousTime == null ? Map.of() : rates(previousCounts, counts, Duration.between(previousTime, now));
        previousCounts = Map.copyOf(counts);
        previousTime = now;
        return new Frame(status, tps, now);
    }

    /**
     * Calls {@code frames} with a new frame every {@code interval} until the thread is interrupted (or the JVM ends,
     * as on Ctrl-C).
     */
    public void run(Duration interval, Consumer<Frame> frames) throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(work -> {
            Thread thread = new Thread(work, "tpa-status-watch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            timer.scheduleWithFixedDelay(() -> frames.accept(next()), 0, interval.toMillis(), TimeUnit.MILLISECONDS).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            timer.shutdownNow();
        }
    }

    /** Transactions per second of each node counted both times; a counter that went back (a restart) has no rate. */
    static Map<String, Double> rates(Map<String, Long> before, Map<String, Long> after, Duration elapsed) {
        Map<String, Double> rates = new LinkedHashMap<>();
        double seconds = elapsed.toNanos() / 1e9;
        if (seconds <= 0) {
            return rates;
        }
        after.forEach((node, count) -> {
            Long earlier = before.get(node);
            if (earlier != null && count >= earlier) {
                rates.put(node, (count - earlier) / seconds);
            }
        });
        return rates;
    }

    private static Long count(GroupAccess access, Deployment deployment, DeployedNode node, String password) {
        try {
            List<String> rows = Postgres.query(access.platform().host(node.address()), deployment, node, password, TRANSACTIONS);
            return rows.isEmpty() ? null : Long.parseLong(rows.get(0).strip());
        } catch (RuntimeException e) {
            return null; // down or unreachable: the status shows why
        }
    }
}
