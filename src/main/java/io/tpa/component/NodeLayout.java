package io.tpa.component;

/**
 * Where a node keeps its files, under the group's base directory. The same names on every
 * platform, so a path in a log message means the same thing everywhere.
 */
public record NodeLayout(String directory) {
    /**
     * A data directory that {@code tpa restore --in-place} moved aside, in the node's directory, named with the time of the
     * restore ({@code pgdata.before-restore-20261207T031500Z}); the next successful {@code tpa backup} removes it.
     */
    public static final String ASIDE_PREFIX = "pgdata.before-restore-";

    public static NodeLayout of(String baseDirectory, String node) {
        return new NodeLayout(baseDirectory + "/nodes/" + node);
    }

    public String dataDirectory() {
        return directory + "/pgdata";
    }

    /**
     * A data directory brought in from another group by {@code tpa fork}, waiting for the node's first start:
     * Patroni's bootstrap moves it to {@link #dataDirectory()}.
     */
    public String stagedDataDirectory() {
        return directory + "/forked-pgdata";
    }

    public String etcdDataDirectory() {
        return directory + "/etcd";
    }

    public String patroniConfig() {
        return directory + "/patroni.yml";
    }

    public String logDirectory() {
        return directory + "/log";
    }

    /** The node's certificate, key and the group CA, for PostgreSQL and Patroni. */
    public String tlsDirectory() {
        return directory + "/tls";
    }

    /** The same certificate for etcd, owned by etcd's user. */
    public String etcdTlsDirectory() {
        return directory + "/etcd-tls";
    }

    /** Unix sockets and the pgpass file Patroni writes. */
    public String runDirectory() {
        return directory + "/run";
    }
}
