package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A node of a cluster: a host that runs PostgreSQL under Patroni.
 *
 * @param promotable false for a node Patroni must never promote (its nofailover tag); null means true
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeSpec(String name, SizeSpec size, Boolean promotable) {
    public NodeSpec(String name, SizeSpec size) {
        this(name, size, null);
    }

    public NodeSpec withSize(SizeSpec newSize) {
        return new NodeSpec(name, newSize, promotable);
    }

    public boolean canBePromoted() {
        return !Boolean.FALSE.equals(promotable);
    }
}
