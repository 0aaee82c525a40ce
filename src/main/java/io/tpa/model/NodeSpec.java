package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A node of a cluster: a host that runs PostgreSQL under Patroni. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeSpec(String name, SizeSpec size) {
    public NodeSpec withSize(SizeSpec newSize) {
        return new NodeSpec(name, newSize);
    }
}
