package io.tpa.operation.apply;

import io.tpa.component.PatroniApi;
import io.tpa.component.PostgresSettings;
import java.util.Optional;
import io.tpa.host.Host;
import io.tpa.operation.GroupHealth;
import io.tpa.host.ServiceManager;
import io.tpa.host.ServiceState;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the phases of one apply (or plan) share: the group, whether this is a dry run, and facts
 * gathered once and reused until something changes them.
 */
public final class ApplyState {
    private final GroupContext context;
    private final boolean dryRun;
    private final Map<String, Map<String, ServiceState>> serviceStates = new ConcurrentHashMap<>();
    /** Nodes whose new configuration needs a PostgreSQL restart, and why. */
    private final Map<String, String> restarts = new ConcurrentHashMap<>();
    /** Nodes that started (or restarted) Patroni in this apply. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    /** Nodes whose Patroni starts again after the etcd phase, when its new etcd hosts run (see PatroniConfigPhase). */
    private final Set<String> patroniAfterEtcd = ConcurrentHashMap.newKeySet();

    private Optional<PostgresSettings> settings;
    /** What the phases want the user to know but cannot change (a read-only /proc/sys, an unsynchronized clock), in order. */
    private final Set<String> notes = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    private final boolean switchoverPrimary;
    private final PatroniEtcdReadiness etcdReadiness = new PatroniEtcdReadiness(this);

    ApplyState(GroupContext context, boolean dryRun, boolean switchoverPrimary) {
        this.context = context;
        this.dryRun = dryRun;
        this.switchoverPrimary = switchoverPrimary;
    }

    /** Threads for {@link #each}: daemon threads, created as needed and reused. */
    private static final java.util.concurrent.ExecutorService FACTS = java.util.concurrent.Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "tpa-facts");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Runs {@code each} for every item at once and returns the results in the items' order, leaving out
     * nulls. For gathering facts from several hosts: each waits on its own host, so together they take as
     * long as the slowest rather than the sum.
     */
    public static <T, R> List<R> each(List<T> items, java.util.function.Function<T, R> each) {
        if (items.size() <= 1) {
            return items.stream().map(each).filter(java.util.Objects::nonNull).toList();
        }
        List<java.util.concurrent.Future<R>> results = items.stream().map(item -> FACTS.submit(() -> each.apply(item))).toList();
        List<R> collected = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<R> result : results) {
            try {
                R value = result.get();
                if (value != null) {
                    collected.add(value);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while gathering facts", e);
            }
        }
        return collected;
    }

    /** Records something the user should know; said once however often it is noted. */
    public void note(String message) {
        notes.add(message);
    }

    public List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }

    public GroupContext context() {
        return context;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** True when a primary that needs a restart is to hand over to a restarted replica instead. */
    public boolean switchoverPrimary() {
        return switchoverPrimary;
    }

    /** The distinct hosts of the group, each with the nodes it runs. */
    public Map<Host, List<DeployedNode>> hosts() {
        Map<Host, List<DeployedNode>> hosts = new LinkedHashMap<>();
        for (DeployedNode node : context.deployment().nodes()) {
            hosts.computeIfAbsent(context.host(node), h -> new java.util.ArrayList<>()).add(node);
        }
        return hosts;
    }

    /** What the installed PostgreSQL says of its parameters; asked once, on the first node's host. */
    public synchronized Optional<PostgresSettings> settings() {
        if (settings == null) {
            DeployedNode first = context.deployment().nodes().get(0);
            settings = PostgresSettings.describe(context.host(first),
                    context.catalog().postgres(context.deployment().postgresVersion()).binDir());
        }
        return settings;
    }

    /** Whether Patroni may start against etcd, and whether one chose etcd's API wrongly. */
    PatroniEtcdReadiness etcdReadiness() {
        return etcdReadiness;
    }

    public PatroniApi patroni(DeployedNode node) {
        return new PatroniApi(node, context.http());
    }

    public GroupHealth health() {
        return GroupHealth.read(context.deployment(), context.http());
    }

    public ServiceManager services(DeployedNode node) {
        return context.services(node);
    }

    /** The state of a service on the node's host, read once per phase. */
    public ServiceState serviceState(DeployedNode node, String service) {
        Map<String, ServiceState> states = serviceStates.computeIfAbsent(context.host(node).name(), h -> {
            ServiceManager manager = services(node);
            return manager.isRunning() ? manager.states() : new HashMap<>();
        });
        return states.get(service);
    }

    public boolean isRunning(DeployedNode node, String service) {
        ServiceState state = serviceState(node, service);
        return state != null && state.running();
    }

    /** Forgets gathered facts: called after a phase changed things. */
    void refresh() {
        serviceStates.clear();
    }

    public void needsRestart(DeployedNode node, String reason) {
        restarts.put(node.name(), reason);
    }

    public Map<String, String> restarts() {
        return restarts;
    }

    /** This node's Patroni starts again once the etcd phase has started its new etcd hosts. */
    void restartPatroniAfterEtcd(DeployedNode node) {
        patroniAfterEtcd.add(node.name());
    }

    boolean restartsPatroniAfterEtcd(DeployedNode node) {
        return patroniAfterEtcd.contains(node.name());
    }

    public void markStarted(DeployedNode node) {
        started.add(node.name());
    }

    public boolean startedNow(DeployedNode node) {
        return started.contains(node.name());
    }
}
