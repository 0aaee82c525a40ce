package io.tpa.model;

import java.util.Optional;

/**
 * What a group should be, from its files alone: the config as loaded (for error positions), the config with every
 * default filled in, the version and size catalog, and the deployment record of the last apply. Built without any
 * I/O from what was read, so what only needs the desired state (show, pricing, the UI's drill-down, plan's notes)
 * never touches a host, a secret or Patroni; the session that does is {@code io.tpa.operation.GroupContext}.
 *
 * @param loaded   the config as written, with the position of each key
 * @param spec     the config with every default filled in
 * @param catalog  the versions and sizes tpa deploys
 * @param previous the deployment record of the last successful apply; empty before the first
 */
public record DesiredState(LoadedSpec loaded, GroupSpec spec, Catalog catalog, Optional<Deployment> previous) {

    /** The desired state of a config read from a group directory, against this catalog and the last record. */
    public static DesiredState of(LoadedSpec loaded, Catalog catalog, Optional<Deployment> previous) {
        return new DesiredState(loaded, Defaults.resolve(loaded.spec(), catalog), catalog, previous);
    }

    /** The group's name. */
    public String group() {
        return spec.name();
    }
}
