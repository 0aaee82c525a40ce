package io.tpa.operation.apply;

import io.tpa.component.Etcd;
import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.host.Command;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Patroni and a new etcd cluster: a Patroni may start only once every etcd member reports the cluster version its
 * servers share, and one that chose the wrong etcd API all the same (it reads the version once) is restarted, with
 * a note, instead of being waited on until the timeout.
 */
final class PatroniEtcdReadiness {
    static final Duration DECIDED = Duration.ofSeconds(60);
    /** How often a waiting loop looks at a node's Patroni log: a read of the log's end on its host. */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(2);

    private final ApplyState state;
    /** Per node, how long its Patroni log was when this apply started (or restarted) its Patroni. */
    private final Map<String, Long> logStarts = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLooked = new ConcurrentHashMap<>();

    PatroniEtcdReadiness(ApplyState state) {
        this.state = state;
    }

    /** Waits until every etcd member of the group reports a decided cluster version. */
    void awaitClusterVersion() {
        Map<String, String> members = Etcd.clientUrls(state.context().deployment().etcdMembers());
        Wait.until("for etcd's cluster version to be decided before Patroni starts", DECIDED,
                () -> Etcd.whyClusterVersionUndecided(members, state.context().http()));
    }

    /** Remembers where the node's Patroni log ends, before its Patroni starts: what it logs from there is its own. */
    void beforeStart(DeployedNode node) {
        logStarts.put(node.name(), logLength(node));
    }

    /**
     * Looks (at most every {@link #LOOK_EVERY}) whether the node's Patroni is stuck on an etcd API etcd does not serve,
     * and if so waits for a decided cluster version and restarts it. True when it restarted it.
     */
    boolean restartIfStuck(DeployedNode node) {
        long now = System.nanoTime();
        Long last = lastLooked.get(node.name());
        if (last != null && now - last < LOOK_EVERY.toNanos()) {
            return false;
        }
        lastLooked.put(node.name(), now);
        String reason = Patroni.whyStuckOnEtcdApi(logSinceStart(node));
        if (reason == null) {
            return false;
        }
        awaitClusterVersion();
        state.note(node.name() + ": " + reason + "; restarted it");
        beforeStart(node);
        state.services(node).kill(Patroni.serviceName(node));
        return true;
    }

    private String log(DeployedNode node) {
        return NodeLayout.of(state.context().deployment().baseDirectory(), node.name()).logDirectory() + "/patroni.log";
    }

    private long logLength(DeployedNode node) {
        Host host = state.context().host(node);
        String size = host.run(Command.of("sh", "-c", "stat -c %s \"$1\" 2>/dev/null || echo 0", "tpa-log", log(node))).stdout().strip();
        try {
            return Long.parseLong(size);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The last lines the node's Patroni logged since this apply started it (or, for one it did not start, the last lines). */
    private String logSinceStart(DeployedNode node) {
        long start = logStarts.getOrDefault(node.name(), 0L);
        Host host = state.context().host(node);
        return host.run(Command.of("sh", "-c", "[ -f \"$1\" ] && tail -c +\"$2\" \"$1\" | tail -n 40", "tpa-log", log(node),
                Long.toString(start + 1))).stdout();
    }
}
