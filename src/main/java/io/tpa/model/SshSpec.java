package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How tpa logs in to a host of the ssh platform: {@code ssh:} at the group's top level, and per
 * node to override it. Any field left out comes from the group level, then from the defaults.
 *
 * @param user         the login user; tpa escalates with {@code sudo -n} when it is not root
 * @param port         the SSH port
 * @param identityFile the private key; a relative path is relative to the group directory, {@code ~/} to the home directory
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SshSpec(String user, Integer port, @JsonProperty("identity_file") String identityFile) {
    public static final String DEFAULT_USER = "root";
    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_IDENTITY_FILE = "~/.ssh/id_ed25519";
    public static final SshSpec DEFAULTS = new SshSpec(DEFAULT_USER, DEFAULT_PORT, DEFAULT_IDENTITY_FILE);

    /** This spec with the fields it leaves out taken from another. */
    public SshSpec over(SshSpec base) {
        if (base == null) {
            return this;
        }
        return new SshSpec(user == null ? base.user : user, port == null ? base.port : port,
                identityFile == null ? base.identityFile : identityFile);
    }

    /** The login of a node: its own fields, then the group's, then the defaults. */
    public static SshSpec resolve(SshSpec node, SshSpec group) {
        SshSpec groupLevel = group == null ? DEFAULTS : group.over(DEFAULTS);
        return node == null ? groupLevel : node.over(groupLevel);
    }
}
