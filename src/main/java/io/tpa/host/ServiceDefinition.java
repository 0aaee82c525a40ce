package io.tpa.host;

import java.util.List;
import java.util.Map;

/**
 * A long-running service as a service manager should run and supervise it.
 *
 * @param name        unique within a group, e.g. {@code patroni-pg1}
 * @param command     program and arguments
 * @param user        the OS user it runs as (never root)
 * @param environment variables it needs
 * @param directory   working directory
 * @param logFile     where its output goes
 * @param order       lower starts first and stops last (etcd before Patroni)
 */
public record ServiceDefinition(
        String name, List<String> command, String user, Map<String, String> environment, String directory, String logFile, int order) {
    public ServiceDefinition {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if ("root".equals(user)) {
            throw new IllegalArgumentException("service " + name + " must not run as root");
        }
    }
}
