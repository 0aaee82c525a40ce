package io.tpa.operation;

import io.tpa.component.Patroni;
import io.tpa.error.UserError;
import io.tpa.host.OsRelease;
import io.tpa.host.Platform;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.LoadedSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The release each node's server runs (its /etc/os-release), read once per server and refused when the version
 * catalog has none for it; and the check that every node's release offers the group's PostgreSQL major.
 */
final class HostReleases implements Function<String, String> {
    private final Platform platform;
    private final Catalog catalog;
    private final Map<String, String> byAddress = new ConcurrentHashMap<>();

    HostReleases(Platform platform, Catalog catalog) {
        this.platform = platform;
        this.catalog = catalog;
    }

    /** The catalog's name of the release the server at this address runs. */
    @Override
    public String apply(String address) {
        return byAddress.computeIfAbsent(address, this::read);
    }

    private String read(String address) {
        OsRelease release = OsRelease.read(platform.host(address));
        if (!catalog.releases().contains(release.name())) {
            throw new UserError(platform.host(address).name() + ": runs " + release.prettyName() + " (" + release.name()
                    + "), which tpa has no version catalog for; use a server with " + String.join(" or ", catalog.releases())
                    + " (see `tpa versions`)");
        }
        return release.name();
    }

    /**
     * Every node's release must offer the group's PostgreSQL major: one major runs a cluster (and a group, whose
     * standby clusters stream from the primary cluster), so releases may mix only where they share it.
     */
    static void requireOffered(LoadedSpec loaded, Deployment deployment, Catalog catalog) {
        int major = deployment.postgresVersion();
        boolean named = loaded.spec().postgres() != null && loaded.spec().postgres().version() != null;
        DeployedNode first = deployment.nodes().get(0);
        for (DeployedNode node : deployment.nodes()) {
            Catalog.Distribution distribution = catalog.distribution(node.release());
            if (distribution.offers(major)) {
                continue;
            }
            List<Integer> offered = distribution.postgresVersions();
            String why = named
                    ? loaded.where("postgres.version") + ": postgres.version: PostgreSQL " + major
                    : loaded.file() + ": PostgreSQL " + major + " (the default of " + first.name() + "'s " + first.release() + ")";
            throw new UserError(why + " is not offered on node " + node.name() + ": its server " + node.address() + " runs "
                    + node.release() + ", which offers PostgreSQL " + offered.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b)
                    .orElse("none") + "; give every node of the group a server of the same release, or set postgres.version "
                    + "to a major all of them offer (see `tpa versions`)");
        }
    }

    /**
     * {@code synchronous: true} needs Patroni 4 on every node. Patroni 3.0.2 (Debian 12's) leaves
     * synchronous_standby_names empty after it restarts on the primary while etcd still names a synchronous replica,
     * so commits are acknowledged unprotected and a later failover can lose them (docs/reliability.md): refused rather
     * than promised.
     */
    static void requireSynchronousSupport(LoadedSpec loaded, Deployment deployment, Catalog catalog) {
        if (!deployment.synchronous()) {
            return;
        }
        for (DeployedNode node : deployment.nodes()) {
            String patroni = catalog.componentVersion(node.release(), "patroni");
            if (Patroni.major(catalog, node) < 4) {
                throw new UserError(loaded.where("synchronous") + ": synchronous: true needs Patroni 4, and node " + node.name()
                        + " runs " + node.release() + " with Patroni " + patroni + ", which can acknowledge commits without a "
                        + "synchronous replica after it restarts; remove synchronous: true, or use Debian 13 servers "
                        + "(see docs/reliability.md)");
            }
        }
    }
}
