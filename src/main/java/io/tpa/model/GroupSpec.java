package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A cluster group as the user describes it in {@code tpa.yml} or {@code tpa.json}.
 * The JSON Schema in {@code src/main/resources/schema/tpa.schema.json} is the contract for its shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupSpec(
        String name,
        String platform,
        PostgresSpec postgres,
        DefaultsSpec defaults,
        List<ClusterSpec> clusters,
        AccessSpec access,
        String compliance,
        Boolean synchronous,
        SshSpec ssh,
        String failover,
        /** HAProxy and pgbouncer on every node (null: none, the default). */
        EndpointsSpec endpoints,
        /** Backups with pgBackRest (null: none, the default). */
        BackupSpec backup,
        /** Prometheus exporters on every node, and a Prometheus configuration with alert rules (null: none, the default). */
        MonitoringSpec monitoring) {

    public GroupSpec {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    public GroupSpec(String name, String platform, PostgresSpec postgres, DefaultsSpec defaults, List<ClusterSpec> clusters,
                     AccessSpec access, String compliance, Boolean synchronous, SshSpec ssh, String failover) {
        this(name, platform, postgres, defaults, clusters, access, compliance, synchronous, ssh, failover, null, null, null);
    }

    public GroupSpec(String name, String platform, PostgresSpec postgres, DefaultsSpec defaults, List<ClusterSpec> clusters,
                     AccessSpec access, String compliance, Boolean synchronous, SshSpec ssh, String failover, EndpointsSpec endpoints) {
        this(name, platform, postgres, defaults, clusters, access, compliance, synchronous, ssh, failover, endpoints, null, null);
    }

    public GroupSpec(String name, String platform, PostgresSpec postgres, DefaultsSpec defaults, List<ClusterSpec> clusters) {
        this(name, platform, postgres, defaults, clusters, null, null, null, null, null);
    }

    public GroupSpec(String name, String platform, PostgresSpec postgres, DefaultsSpec defaults, List<ClusterSpec> clusters,
                     AccessSpec access) {
        this(name, platform, postgres, defaults, clusters, access, null);
    }

    public GroupSpec(String name, String platform, PostgresSpec postgres, DefaultsSpec defaults, List<ClusterSpec> clusters,
                     AccessSpec access, String compliance) {
        this(name, platform, postgres, defaults, clusters, access, compliance, null, null, null);
    }

    public ClusterSpec primaryCluster() {
        return clusters.get(0);
    }

    public List<NodeSpec> allNodes() {
        return clusters.stream().flatMap(c -> c.nodes().stream()).toList();
    }
}
