package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A node of a cluster: a host that runs PostgreSQL under Patroni.
 *
 * @param promotable false for a node Patroni must never promote (its nofailover tag); null means true
 * @param host       on the ssh platform, the address or DNS name of the server the node runs on
 * @param ssh        on the ssh platform, how to log in to that server (overrides the group's {@code ssh})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeSpec(String name, SizeSpec size, Boolean promotable, String host, SshSpec ssh) {
    public NodeSpec(String name, SizeSpec size) {
        this(name, size, null, null, null);
    }

    public NodeSpec(String name, SizeSpec size, Boolean promotable) {
        this(name, size, promotable, null, null);
    }

    public NodeSpec withSize(SizeSpec newSize) {
        return new NodeSpec(name, newSize, promotable, host, ssh);
    }

    public boolean canBePromoted() {
        return !Boolean.FALSE.equals(promotable);
    }
}
