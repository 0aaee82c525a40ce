package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The group's endpoints ({@code endpoints:} in tpa.yml, opt-in): HAProxy on every node routes clients to the current
 * primary or to the replicas, directly or through the pgbouncer of the node it picks.
 *
 * @param poolMode      pgbouncer's pool_mode: session, transaction or statement
 * @param poolSize      server connections per database and user on each node (pgbouncer's default_pool_size)
 * @param maxClients    client connections pgbouncer accepts on each node (max_client_conn)
 * @param maxReplicaLag how far behind a replica may be and still serve read-only clients: bytes, or a size such as 1MB
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointsSpec(
        @JsonProperty("pool_mode") String poolMode,
        @JsonProperty("pool_size") Integer poolSize,
        @JsonProperty("max_clients") Integer maxClients,
        @JsonProperty("max_replica_lag") Object maxReplicaLag) {

    public static final List<String> POOL_MODES = List.of("session", "transaction", "statement");
    public static final String POOL_MODE = "transaction";
    public static final int POOL_SIZE = 20;
    public static final int MAX_CLIENTS = 500;
    public static final String MAX_REPLICA_LAG = "1MB";

    /** HAProxy, to the primary, directly. */
    public static final int READ_WRITE_PORT = 5000;
    /** HAProxy, to the replicas (the primary when none is healthy), directly. */
    public static final int READ_ONLY_PORT = 5001;
    /** HAProxy, to the pgbouncer of the primary. */
    public static final int POOLED_READ_WRITE_PORT = 5002;
    /** HAProxy, to the pgbouncer of the replicas (the primary's when none is healthy). */
    public static final int POOLED_READ_ONLY_PORT = 5003;
    /** pgbouncer on every node, in front of the node's own PostgreSQL. */
    public static final int PGBOUNCER_PORT = 6432;
    /** Every endpoint's port, by the name `tpa status` gives it, in that order. */
    public static final java.util.Map<String, Integer> PORTS = ports();

    private static java.util.Map<String, Integer> ports() {
        java.util.LinkedHashMap<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("rw", READ_WRITE_PORT);
        ports.put("ro", READ_ONLY_PORT);
        ports.put("rw_pooled", POOLED_READ_WRITE_PORT);
        ports.put("ro_pooled", POOLED_READ_ONLY_PORT);
        ports.put("pgbouncer", PGBOUNCER_PORT);
        return java.util.Collections.unmodifiableMap(ports);
    }

    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+)\\s*(B|kB|KB|MB|GB|TB)?\\s*");

    /** Every key filled in with its default. */
    public EndpointsSpec resolved() {
        return new EndpointsSpec(poolMode == null ? POOL_MODE : poolMode, poolSize == null ? POOL_SIZE : poolSize,
                maxClients == null ? MAX_CLIENTS : maxClients, maxReplicaLag == null ? MAX_REPLICA_LAG : maxReplicaLag);
    }

    /** The replica lag limit in bytes (the config was checked: {@link #whyInvalidSize}). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public long maxReplicaLagBytes() {
        Object lag = maxReplicaLag == null ? MAX_REPLICA_LAG : maxReplicaLag;
        Long bytes = bytes(lag.toString());
        if (bytes == null) {
            throw new IllegalStateException("max_replica_lag was not checked: " + lag);
        }
        return bytes;
    }

    /** Null when the text is a size in bytes ({@code 1048576}) or with a unit ({@code 1MB}, {@code 512kB}), else what is wrong. */
    public static String whyInvalidSize(String text) {
        return bytes(text) == null ? "'" + text + "' is not a size; write bytes (1048576) or a number with a unit: B, kB, MB, GB, TB (1MB)" : null;
    }

    private static Long bytes(String text) {
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        long number;
        try {
            number = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            default -> 1L;
        };
        if (number > Long.MAX_VALUE / factor) {
            return null;
        }
        return number * factor;
    }
}
