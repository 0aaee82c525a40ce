package io.tpa.operation.status;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The state of a running group, as `tpa status` reports it. */
public record GroupStatus(String name, List<ClusterStatus> clusters, List<String> warnings,
                          /** With {@code endpoints:} in the config; null without. */
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          EndpointsStatus endpoints,
                          /** With {@code backup:} in the config; null without. */
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          BackupStatus backups) {

    public GroupStatus(String name, List<ClusterStatus> clusters, List<String> warnings) {
        this(name, clusters, warnings, null, null);
    }

    public record ClusterStatus(String name, String location, List<NodeStatus> nodes) {
        @JsonIgnore
        public boolean hasPrimary() {
            return nodes.stream().anyMatch(n -> !n.role().equals("replica") && n.state().equals("running"));
        }
    }

    /**
     * @param role     primary, replica or standby_leader
     * @param state    running, starting, stopped, down (Patroni does not answer), ...
     * @param lagBytes how far a replica's replay is behind its primary; null for a primary or when unknown
     */
    public record NodeStatus(
            String name, String role, String state, String host, int port, Long timeline,
            @JsonProperty("lag_bytes") Long lagBytes) {
    }

    /** True when every cluster has a running primary. */
    @JsonIgnore
    public boolean healthy() {
        return clusters.stream().allMatch(ClusterStatus::hasPrimary);
    }
}
