package io.tpa.host;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Your own servers, reached over SSH: every node names the server it runs on, and tpa logs in to
 * it with a key ({@link SshHost}), checking its host key against the group's known_hosts file.
 * Services run under systemd where it is the init, else under the group's own supervisord; the
 * group's files live under {@value #BASE} on every server.
 */
public final class SshPlatform implements Platform {
    static final String BASE = "/var/lib/tpa/groups/";

    private final Map<String, String> nodeHosts;
    /** Servers that run no node but that tpa sets up too (a backup server), by address. */
    private final List<String> otherServers;
    private final Map<String, SshLogin> logins;
    private final Path knownHosts;
    private final boolean trustNewHosts;
    /** One connection per server for the whole run, whichever operation asks: by login, server and known_hosts file. */
    private static final Map<String, SshHost> HOSTS = new ConcurrentHashMap<>();
    private final Map<String, ServiceManager> managers = new ConcurrentHashMap<>();
    private volatile List<String> clientAddresses;

    /**
     * @param nodeHosts     the server of each node the config names, by node name
     * @param logins        how to log in, by server address (the config's nodes and the previous deployment's)
     * @param knownHosts    the group's known_hosts file
     * @param trustNewHosts record the key of a server not in known_hosts yet instead of refusing it
     */
    public SshPlatform(Map<String, String> nodeHosts, Map<String, SshLogin> logins, Path knownHosts, boolean trustNewHosts) {
        this(nodeHosts, List.of(), logins, knownHosts, trustNewHosts);
    }

    /**
     * @param otherServers servers that run no node but that tpa sets up too (a backup server), by address; each has a login
     */
    public SshPlatform(Map<String, String> nodeHosts, List<String> otherServers, Map<String, SshLogin> logins, Path knownHosts,
                       boolean trustNewHosts) {
        // In config order: the servers are connected, and their failures reported, in that order.
        this.nodeHosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeHosts));
        this.otherServers = List.copyOf(otherServers);
        this.logins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(logins));
        this.knownHosts = knownHosts;
        this.trustNewHosts = trustNewHosts;
    }

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public Map<String, String> assignAddresses(String groupKey, List<String> nodes, Map<String, String> current, boolean reserve) {
        Map<String, String> assigned = new LinkedHashMap<>();
        for (String node : nodes) {
            String address = nodeHosts.get(node);
            if (address == null) {
                throw new HostException("node " + node + " names no host");
            }
            assigned.put(node, address);
        }
        return assigned;
    }

    @Override
    public void releaseAddresses(String groupKey) {
        // The servers are the user's: nothing to give back.
    }

    @Override
    public String baseDirectory(String groupKey) {
        return BASE + groupKey;
    }

    /**
     * The addresses the servers see tpa connect from: tpa needs PostgreSQL, Patroni and etcd as the
     * nodes do. Asked of every node's server, since a machine on several networks has several.
     */
    @Override
    public List<String> clientAddresses() {
        List<String> known = clientAddresses;
        if (known == null) {
            known = nodeHosts.values().stream().distinct().sorted().map(address -> host(address).localAddress()).distinct().toList();
            clientAddresses = known;
        }
        return known;
    }

    @Override
    public SshHost host(String address) {
        SshLogin login = logins.get(address);
        if (login == null) {
            throw new HostException(address + ": no SSH login is known for this host");
        }
        return HOSTS.computeIfAbsent(login + "@" + address + " " + knownHosts + " " + trustNewHosts,
                key -> new SshHost(address, login, knownHosts, trustNewHosts));
    }

    @Override
    public ServiceManager serviceManager(Host target, String groupKey) {
        return managers.computeIfAbsent(target.name() + "/" + groupKey, k -> SystemdServiceManager.runsOn(target)
                ? new SystemdServiceManager(target, groupKey)
                : new SupervisorServiceManager(target, baseDirectory(groupKey) + "/supervisor", "tpa-" + groupKey));
    }

    /**
     * Connects to every server at once, so that a server tpa cannot reach (or whose key it cannot
     * trust) fails the command before it changes anything.
     *
     * @return a message per server of the config's nodes (and its other servers) that cannot be reached, by address; empty when all can
     */
    public Map<String, String> connect() {
        List<String> addresses = java.util.stream.Stream.concat(nodeHosts.values().stream(), otherServers.stream()).distinct().toList();
        Map<String, String> failures = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(addresses.size(), 16)));
        try {
            Map<String, Future<?>> attempts = new LinkedHashMap<>();
            for (String address : addresses) {
                attempts.put(address, pool.submit(() -> {
                    SshHost host = host(address);
                    host.connect();
                    if (!host.isRoot()) {
                        throw new HostException(address + ": " + logins.get(address).user()
                                + " is not root and has no passwordless sudo there; log in as root or allow it `sudo -n`");
                    }
                    return null;
                }));
            }
            attempts.forEach((address, attempt) -> {
                try {
                    attempt.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.put(address, e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.put(address, address + ": interrupted");
                }
            });
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }
}
