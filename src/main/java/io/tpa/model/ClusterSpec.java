package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A cluster: one primary and its streaming replicas. The first cluster of a group is the
 * primary cluster; further clusters are standby clusters replicating from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterSpec(String name, String location, List<NodeSpec> nodes) {
    public ClusterSpec {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}
