package io.tpa.host;

import java.util.List;
import java.util.Map;

/**
 * Runs and supervises a group's services on one host: restarts them when they die, keeps them
 * running after tpa exits. Implemented with supervisord on the local platform; systemd comes with
 * real hosts.
 */
public interface ServiceManager {
    /** True when the manager itself is running. */
    boolean isRunning();

    /** Starts the manager itself if it is not running. */
    void ensureRunning();

    /** True when the manager already holds exactly this definition. */
    boolean isDefinedAs(ServiceDefinition definition);

    /**
     * Installs or updates these definitions and starts them (a changed definition restarts its
     * service; an unchanged running one is left alone).
     */
    void apply(List<ServiceDefinition> definitions);

    /** The state of every service the manager knows. */
    Map<String, ServiceState> states();

    void stop(String name);

    /**
     * Ends a service's main process with SIGKILL and lets the manager start it again. What that process started
     * keeps running: Patroni, started again, finds its PostgreSQL running and carries on (so it re-reads settings a
     * reload does not, such as its etcd hosts, without stopping PostgreSQL).
     */
    void kill(String name);

    void start(String name);

    /**
     * Sends a signal ({@code HUP}, {@code USR2}, ...) to a service's main process, for a service that reloads on one:
     * pgbouncer re-reads its configuration on HUP, HAProxy's master starts new workers on USR2 while the old ones
     * finish their connections.
     */
    void signal(String name, String signal);

    /** Stops and forgets a service. */
    void remove(String name);

    /** Stops every service and the manager itself, and removes the definitions it keeps outside the group's base directory. */
    void shutdown();
}
